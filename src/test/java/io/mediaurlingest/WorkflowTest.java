package io.mediaurlingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.store.StorageLocation;
import io.mediaurlingest.store.StorageLocations;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import io.mediaurlingest.support.RunningService.ApiReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Post-upload workflows: the two built-ins and one an operator wrote in a YAML file on disk. */
class WorkflowTest {

    @TempDir
    static Path dataDir;
    @TempDir
    static Path workflowDir;
    static LoopbackHttpServer sources;
    static LoopbackHttpServer receiver;
    /** Where the hostile playlists point: the media tools must never reach it. */
    static LoopbackHttpServer internal;
    static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(workflowDir.resolve("tagger.camel.yaml"), """
                # an operator's own workflow: tags the media it runs on
                - route:
                    id: workflow-tagger
                    from:
                      uri: direct:workflow-tagger
                      steps:
                        - bean: { ref: workflowMedia, method: "addTags(${header.MediaId}, 'reviewed,catalogued')" }
                """);
        sources = new LoopbackHttpServer().serve("/v.mp4", "video/mp4", Fixtures.media("sample.mp4"))
                .serve("/s.mp3", "audio/mpeg", Fixtures.media("sample.mp3"));
        receiver = new LoopbackHttpServer();
        internal = new LoopbackHttpServer("127.0.0.3").serve("/seg.ts", "video/mp2t", Fixtures.media("sample.ts"))
                .serve("/key.bin", "application/octet-stream", new byte[16]);
        String playlist = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXTINF:1.0,\n" + internal.url("/seg.ts")
                + "\n#EXT-X-KEY:METHOD=AES-128,URI=\"" + internal.url("/key.bin") + "\"\n#EXTINF:1.0,\n"
                + internal.url("/seg.ts?2") + "\n#EXTINF:1.0,\nfile:///etc/hostname\n#EXT-X-ENDLIST\n";
        sources.serve("/list.m3u8", "application/vnd.apple.mpegurl", playlist.getBytes())
                .serve("/playlist-named.mp4", "video/mp4", playlist.getBytes());
        Map<String, String> settings = new HashMap<>(RunningService.loopbackAllowed());
        settings.put("ingest.workflows", "classpath:routes/workflows/*.camel.yaml,file:" + workflowDir + "/*.camel.yaml");
        settings.put("ingest.store.locations", "mirror");
        settings.put("ingest.store.location.mirror.bucket", "mirror");
        settings.put("ingest.workflow.mirror.location", "mirror");
        service = RunningService.start(dataDir, settings);
    }

    @AfterAll
    static void stop() {
        service.close();
        sources.close();
        receiver.close();
        internal.close();
    }

    private static JsonNode ingestWith(String path, Map<String, String> extra) throws Exception {
        Map<String, String> p = new HashMap<>(extra);
        p.put("UploadURLs", RunningService.encode(sources.url(path)));
        p.put("UserData", "{\"MessageCallback\":{\"CallbackURL\":\"" + receiver.url("/events") + "\"}}");
        ApiReply reply = service.call("UploadMediaByURL", p);
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        String mediaId = reply.body().path("UploadJobs").get(0).path("MediaId").asText();
        JsonNode[] basic = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            ApiReply media = service.call("GetMediaInfo", Map.of("MediaId", mediaId));
            basic[0] = media.body().path("MediaInfo").path("MediaBasicInfo");
            return media.status() == 200 && basic[0].path("WorkflowStatus").asText().matches("SUCCESS|FAIL");
        });
        return basic[0];
    }

    private static JsonNode workflowEvent(String mediaId) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().stream()
                .anyMatch(r -> r.bodyText().contains("WorkflowComplete") && r.bodyText().contains(mediaId)));
        for (LoopbackHttpServer.Received r : receiver.received()) {
            JsonNode event = r.iceMessage();
            if (r.event().path("EventType").asText().equals("WorkflowComplete") && event.path("MediaId").asText().equals(mediaId)) {
                return event;
            }
        }
        throw new AssertionError("no event");
    }

    @Test
    void snapshotSetsACoverThatDownloadsAJpeg() throws Exception {
        JsonNode basic = ingestWith("/v.mp4", Map.of("PostProcessConfig", "{\"ProcessType\":\"Workflow\",\"ProcessID\":\"snapshot\"}"));

        assertThat(basic.path("WorkflowStatus").asText()).as(basic.toString()).isEqualTo("SUCCESS");
        byte[] cover = service.download(basic.path("CoverURL").asText());
        assertThat(cover[0] & 0xff).isEqualTo(0xFF);
        assertThat(cover[1] & 0xff).isEqualTo(0xD8); // JPEG SOI
        assertThat(workflowEvent(basic.path("MediaId").asText()).path("Status").asText()).isEqualTo("Success");
    }

    @Test
    void snapshotOfAudioFailsClearlyAndTheMediaStaysUsable() throws Exception {
        JsonNode basic = ingestWith("/s.mp3", Map.of("PostProcessConfig", "{\"ProcessType\":\"Workflow\",\"ProcessID\":\"snapshot\"}"));

        assertThat(basic.path("WorkflowStatus").asText()).isEqualTo("FAIL");
        assertThat(basic.path("WorkflowError").asText()).contains("frame");
        assertThat(basic.path("Status").asText()).isEqualTo("Normal");
        JsonNode event = workflowEvent(basic.path("MediaId").asText());
        assertThat(event.path("Status").asText()).isEqualTo("Fail");
        assertThat(event.path("ErrorCode").asText()).isEqualTo("WorkflowFailed");
    }

    /**
     * A playlist stored as media must not make FFmpeg (the probe at ingest, the snapshot) fetch
     * its segments, keys or variants: they would reach any host past the address guard, and the
     * decoded frame would come back as the cover. Whatever the playlist is named.
     */
    @Test
    void aPlaylistIsNeverStoredAsMediaNorHandedToTheMediaTools() throws Exception {
        // an .m3u8 is fetched by the service itself (HLS): its file: segment is refused before any fetch
        JsonNode list = service.awaitJobEnd(submit("/list.m3u8"));
        // a playlist under a media name is refused by the sniffer, never stored for FFmpeg to open
        JsonNode named = service.awaitJobEnd(submit("/playlist-named.mp4"));

        assertThat(list.path("Status").asText()).isEqualTo("FAIL");
        assertThat(list.path("ErrorCode").asText()).as(list.toString()).isEqualTo("AddressNotAllowed");
        assertThat(named.path("Status").asText()).isEqualTo("FAIL");
        assertThat(named.path("ErrorCode").asText()).isEqualTo("UnsupportedMediaType");
        assertThat(internal.requestCount()).isZero();
    }

    private static String submit(String path) throws Exception {
        ApiReply reply = service.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(sources.url(path)),
                "PostProcessConfig", "{\"ProcessType\":\"Workflow\",\"ProcessID\":\"snapshot\"}"));
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        return reply.body().path("UploadJobs").get(0).path("JobId").asText();
    }

    @Test
    void mirrorCopiesTheObjectToTheSecondLocation() throws Exception {
        String url = sources.url("/v.mp4");
        JsonNode basic = ingestWith("/v.mp4", Map.of("MediaMetaData",
                "[{\"SourceURL\":\"" + url + "\",\"Title\":\"m\",\"WorkflowId\":\"mirror\"}]"));

        assertThat(basic.path("WorkflowStatus").asText()).isEqualTo("SUCCESS");
        StorageLocation mirror = service.bean("storageLocations", StorageLocations.class).get("mirror");
        String key = "media/" + basic.path("MediaId").asText() + ".mp4";
        byte[] copy = mirror.s3().getObjectAsBytes(b -> b.bucket(mirror.bucket()).key(key)).asByteArray();
        assertThat(Fixtures.sha256(copy)).isEqualTo(Fixtures.sha256(Fixtures.media("sample.mp4")));
    }

    @Test
    void aWorkflowDefinedOnlyInAFileOnDiskRuns() throws Exception {
        JsonNode basic = ingestWith("/s.mp3", Map.of("PostProcessConfig", "{\"ProcessType\":\"Workflow\",\"ProcessID\":\"tagger\"}"));

        assertThat(basic.path("WorkflowStatus").asText()).isEqualTo("SUCCESS");
        assertThat(basic.path("MediaTags").asText()).isEqualTo("reviewed,catalogued");
    }

    @Test
    void anUnknownWorkflowIsRefusedAtSubmit() throws Exception {
        ApiReply reply = service.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(sources.url("/v.mp4")),
                "PostProcessConfig", "{\"ProcessType\":\"Workflow\",\"ProcessID\":\"transcode-4k\"}"));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().path("Message").asText()).contains("ProcessID", "transcode-4k");
    }
}
