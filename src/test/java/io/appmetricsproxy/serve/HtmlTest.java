package io.appmetricsproxy.serve;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void markupIsEscaped() {
    assertThat(Html.escape("<script>alert('x&y')</script>\""))
        .isEqualTo("&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;&quot;");
  }

  @Test
  void namesBecomeSafePathSegments() {
    assertThat(Html.pathSegment("web_app-1.x~")).isEqualTo("web_app-1.x~");
    assertThat(Html.pathSegment("a b/<c>é")).isEqualTo("a%20b%2F%3Cc%3E%C3%A9");
  }
}
