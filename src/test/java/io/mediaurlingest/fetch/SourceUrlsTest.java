package io.mediaurlingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** URLs as given and as fetched: what a URL may not hold is encoded, escapes and the authority are kept. */
class SourceUrlsTest {

    @Test
    void whatAUrlMayNotHoldIsEncodedAndEscapesAreKept() {
        assertThat(SourceUrls.fetchable("https://h/sp ace.mp4")).isEqualTo("https://h/sp%20ace.mp4");
        assertThat(SourceUrls.fetchable("https://h/sp%20ace.mp4")).isEqualTo("https://h/sp%20ace.mp4");
        assertThat(SourceUrls.fetchable("https://h/a%2Cb.mp4")).isEqualTo("https://h/a%2Cb.mp4");
        assertThat(SourceUrls.fetchable("https://h/café.mp4")).isEqualTo("https://h/caf%C3%A9.mp4");
        assertThat(SourceUrls.fetchable("https://h/100%.mp4?q=a b&x=[1]")).isEqualTo("https://h/100%25.mp4?q=a%20b&x=%5B1%5D");
        assertThat(SourceUrls.fetchable("https://h/a.mp4#frag#2")).isEqualTo("https://h/a.mp4#frag%232");
        assertThat(SourceUrls.fetchable("https://h/🎬.mp4")).isEqualTo("https://h/%F0%9F%8E%AC.mp4");
        assertThat(SourceUrls.fetchable("https://[::1]:8080/a b")).isEqualTo("https://[::1]:8080/a%20b");
        assertThat(SourceUrls.uri("https://h/sp ace.mp4").getPath()).isEqualTo("/sp ace.mp4");
    }

    @Test
    void userAndPasswordBecomeBasicAuthAndLeaveTheUrl() {
        String url = "https://ingest:p%40ss%3Aword@cdn.example.com:8443/a@b.mp4?u=x@y";

        assertThat(SourceUrls.withoutUserInfo(url)).isEqualTo("https://cdn.example.com:8443/a@b.mp4?u=x@y");
        assertThat(new String(Base64.getDecoder().decode(SourceUrls.basicAuthorization(url).substring(6)),
                StandardCharsets.UTF_8)).isEqualTo("ingest:p@ss:word");
        assertThat(SourceUrls.basicAuthorization("https://cdn.example.com/a@b.mp4")).isNull();
        assertThat(SourceUrls.withoutUserInfo("https://cdn.example.com/a@b.mp4")).isEqualTo("https://cdn.example.com/a@b.mp4");
        assertThat(SourceUrls.withoutUserInfo("https://only-user@h/x")).isEqualTo("https://h/x");
    }
}
