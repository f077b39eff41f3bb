package io.mediaurlingest.callback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.ApiFamily;
import io.mediaurlingest.Json;
import org.junit.jupiter.api.Test;

/** The two event shapes, and ingest.callback.format choosing between them. */
class EventBodyTest {

    static final String USER_DATA = "{\"MessageCallback\":{\"CallbackURL\":\"https://hooks.example.com/e\"},\"Extend\":{\"k\":\"v\"}}";

    static EventBody success() {
        return new EventBody("UploadByURLComplete", "job1", "media1", "app-a", USER_DATA)
                .put("SourceURL", "https://cdn.example.com/a.mp4").put("Size", 6928L).putForIce("MediaType", "video")
                .outcome(true, null, null);
    }

    @Test
    void autoGivesIceWorkTheEnvelopeAndVodWorkTheFlatBody() throws Exception {
        EventShape auto = new EventShape("auto", 1234L);

        CallbackEvent ice = success().toEvent(auto, ApiFamily.ICE);
        CallbackEvent vod = success().toEvent(auto, ApiFamily.VOD);

        JsonNode envelope = Json.read(ice.payload());
        assertThat(ice.format()).isEqualTo(ApiFamily.ICE);
        assertThat(ice.callbackUrl()).isEqualTo("https://hooks.example.com/e");
        assertThat(envelope.fieldNames()).toIterable().containsExactly("EventType", "UserId", "EventTime", "MessageBody");
        assertThat(envelope.path("UserId").asLong()).isEqualTo(1234L);
        JsonNode message = envelope.path("MessageBody");
        assertThat(message.path("Status").asText()).isEqualTo("Success");
        assertThat(message.path("JobId").asText()).isEqualTo("job1");
        assertThat(message.path("MediaId").asText()).isEqualTo("media1");
        assertThat(message.path("Size").isTextual()).isTrue();
        assertThat(message.path("Size").asText()).isEqualTo("6928");
        assertThat(message.path("MediaType").asText()).isEqualTo("video");
        assertThat(message.path("AppId").asText()).isEqualTo("app-a");
        assertThat(message.path("UserData").asText()).isEqualTo(USER_DATA);
        assertThat(message.path("Extend").path("k").asText()).isEqualTo("v");

        JsonNode flat = Json.read(vod.payload());
        assertThat(vod.format()).isEqualTo(ApiFamily.VOD);
        assertThat(flat.path("Status").asText()).isEqualTo("success");
        assertThat(flat.path("VideoId").asText()).isEqualTo("media1");
        assertThat(flat.path("Size").asText()).isEqualTo("6928");
        assertThat(flat.path("Extend").path("k").asText()).isEqualTo("v");
        assertThat(flat.has("MessageBody") || flat.has("MediaId") || flat.has("MediaType") || flat.has("UserData")).isFalse();
    }

    @Test
    void aFixedFormatShapesEveryEventAndFailuresCarryTheirError() throws Exception {
        CallbackEvent forcedVod = new EventBody("UploadByURLComplete", "job2", "media2", null, null)
                .outcome(false, "SourceNotFound", "HTTP 404").toEvent(new EventShape("vod", 0), ApiFamily.ICE);
        CallbackEvent forcedIce = new EventBody("UploadByURLComplete", "job3", "media3", null, null)
                .outcome(false, "Canceled", "The job was canceled.").toEvent(new EventShape("ICE", 0), ApiFamily.VOD);

        JsonNode vod = Json.read(forcedVod.payload());
        assertThat(vod.path("Status").asText()).isEqualTo("fail");
        assertThat(vod.path("ErrorCode").asText()).isEqualTo("SourceNotFound");
        assertThat(vod.has("Size")).isFalse();
        assertThat(forcedVod.callbackUrl()).isNull();
        JsonNode ice = Json.read(forcedIce.payload()).path("MessageBody");
        assertThat(ice.path("Status").asText()).isEqualTo("Fail");
        assertThat(ice.path("ErrorCode").asText()).isEqualTo("Canceled");
        assertThat(ice.path("ErrorMessage").asText()).isEqualTo("The job was canceled.");
        assertThat(forcedIce.format()).isEqualTo(ApiFamily.ICE);
    }

    @Test
    void signaturesFollowTheShape() {
        CallbackSigner signer = new CallbackSigner("key", null);

        var ice = signer.headers("e1", "https://hooks.example.com/e", "{}", 1519375990L, ApiFamily.ICE);
        var vod = signer.headers("e1", "https://hooks.example.com/e", "{}", 1519375990L, ApiFamily.VOD);

        assertThat(ice).containsKeys("X-ICE-TIMESTAMP", "X-ICE-SIGNATURE").doesNotContainKeys("X-VOD-SIGNATURE");
        assertThat(vod).containsEntry("X-VOD-TIMESTAMP", "1519375990").doesNotContainKeys("X-ICE-SIGNATURE");
        // VOD's documented example (URL, timestamp, key), its MD5 as coreutils' md5sum gives it
        assertThat(CallbackSigner.urlSignature("https://www.example.com/your/callback", "1519375990", "test123"))
                .isEqualTo("c72b60894140fa98920f1279219b7ed4");
        assertThat(vod.get("X-VOD-SIGNATURE")).isEqualTo("e6b4d659c4f8eceab552a9f25359861a");
    }
}
