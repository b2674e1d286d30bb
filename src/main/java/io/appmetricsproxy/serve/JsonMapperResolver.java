package io.appmetricsproxy.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.ws.rs.ext.ContextResolver;

/**
 * The JSON API's mapper, whose buffers are pooled by the mapper itself: Jackson's default pool
 * keeps them in a ThreadLocal of every Tomcat request thread, where they outlive the webapp and
 * hold its class loader.
 */
final class JsonMapperResolver implements ContextResolver<ObjectMapper> {
  private final ObjectMapper mapper =
      JsonMapper.builder(
              JsonFactory.builder()
                  .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
                  .build())
          .build();

  @Override
  public ObjectMapper getContext(Class<?> type) {
    return mapper;
  }
}
