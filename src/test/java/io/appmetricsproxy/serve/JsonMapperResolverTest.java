package io.appmetricsproxy.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonMapperResolverTest {
  @Test
  void buffersArePooledByTheMapperNotInTheRequestThread() throws Exception {
    ObjectMapper mapper = new JsonMapperResolver().getContext(Object.class);

    assertThat(mapper.getFactory()._getRecyclerPool())
        .isInstanceOf(JsonRecyclerPools.ConcurrentDequePool.class);
    assertThat(mapper.writeValueAsString(Map.of("up", 1))).isEqualTo("{\"up\":1}");
  }
}
