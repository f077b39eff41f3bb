package io.mediaurlingest.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.mediaurlingest.Database;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import io.mediaurlingest.support.RunningService.ApiReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every rule of UploadMediaByURL at its boundary, through the running API: the last accepted
 * value creates jobs, the first refused one gives 400 with a Code and a Message naming the
 * parameter, and creates no job at all.
 */
class UploadMediaByUrlRulesTest {

    @TempDir
    static Path dataDir;
    static LoopbackHttpServer sources;
    static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        sources = new LoopbackHttpServer(); // answers 404: accepted jobs end quickly
        Map<String, String> settings = new HashMap<>(RunningService.loopbackAllowed());
        settings.put("ingest.store.locations", "archive");
        settings.put("ingest.store.location.archive.bucket", "archive");
        service = RunningService.start(dataDir, settings);
    }

    @AfterAll
    static void stop() {
        service.close();
        sources.close();
    }

    private static String url(String name) {
        return sources.url("/m/" + name);
    }

    private static String urls(int count) {
        return IntStream.range(0, count).mapToObj(i -> RunningService.encode(url("v" + i + ".mp4")))
                .collect(Collectors.joining(","));
    }

    private static String meta(String sourceUrl, String fields) {
        return "[{\"SourceURL\":\"" + sourceUrl + "\"" + (fields.isEmpty() ? "" : "," + fields) + "}]";
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static long jobCount() {
        return service.bean("database", Database.class).withConnection(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM upload_job")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static void accepted(Map<String, String> parameters, int jobs) throws Exception {
        long before = jobCount();
        ApiReply reply = service.call("UploadMediaByURL", parameters);
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        assertThat(reply.body().path("UploadJobs")).hasSize(jobs);
        assertThat(jobCount()).isEqualTo(before + jobs);
    }

    private static void refused(Map<String, String> parameters, String code, String... messageParts) throws Exception {
        long before = jobCount();
        ApiReply reply = service.call("UploadMediaByURL", parameters);
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(400);
        assertThat(reply.body().path("Code").asText()).isEqualTo(code);
        assertThat(reply.body().path("RequestId").asText()).isNotBlank();
        assertThat(reply.body().path("Message").asText()).contains(messageParts);
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void twentyUrlsAreAcceptedAndTwentyOneRefused() throws Exception {
        accepted(Map.of("UploadURLs", urls(20)), 20);
        refused(Map.of("UploadURLs", urls(21)), "InvalidParameter", "UploadURLs", "20");
    }

    @Test
    void eachUrlIsDecodedAfterSplitting() throws Exception {
        String withComma = url("a,b.mp4?x=1&y=2");
        ApiReply reply = service.call("UploadMediaByURL", Map.of("UploadURLs",
                RunningService.encode(withComma) + "," + RunningService.encode(url("c.mp3"))));
        assertThat(reply.body().path("UploadJobs").get(0).path("SourceURL").asText()).isEqualTo(withComma);
        assertThat(reply.body().path("UploadJobs").get(1).path("SourceURL").asText()).isEqualTo(url("c.mp3"));
    }

    @Test
    void onlyHttpAndHttpsAndOnlyAudioOrVideoExtensions() throws Exception {
        refused(Map.of("UploadURLs", RunningService.encode("ftp://127.0.0.1/a.mp4")), "InvalidParameter", "http");
        refused(Map.of("UploadURLs", RunningService.encode(url("doc.pdf"))), "InvalidParameter", "pdf");
        refused(Map.of("UploadURLs", RunningService.encode(url("noext"))), "InvalidParameter", "FileExtension");
        accepted(Map.of("UploadURLs", RunningService.encode(url("UPPER.MOV"))), 1);
        accepted(Map.of("UploadURLs", RunningService.encode(url("noext")),
                "MediaMetaData", meta(url("noext"), "\"Title\":\"t\",\"FileExtension\":\"FLAC\"")), 1);
        // FileExtension wins over the URL's extension, both ways
        refused(Map.of("UploadURLs", RunningService.encode(url("clip.mp4")),
                "MediaMetaData", meta(url("clip.mp4"), "\"Title\":\"t\",\"FileExtension\":\"exe\"")),
                "InvalidParameter", "exe");
    }

    @Test
    void titleIsRequiredAndAtMost128BytesOfUtf8() throws Exception {
        String u = url("t.mp4");
        String title128 = "é".repeat(64);          // 128 bytes in UTF-8
        String title129 = "é".repeat(64) + "a";    // 129 bytes
        accepted(Map.of("UploadURLs", RunningService.encode(u), "MediaMetaData", meta(u, "\"Title\":" + json(title128))), 1);
        refused(Map.of("UploadURLs", RunningService.encode(u), "MediaMetaData", meta(u, "\"Title\":" + json(title129))),
                "InvalidParameter", "MediaMetaData.Title", "128");
        refused(Map.of("UploadURLs", RunningService.encode(u), "MediaMetaData", meta(u, "\"Description\":\"d\"")),
                "MissingParameter", "MediaMetaData.Title");
    }

    @Test
    void descriptionIsAtMost1024Bytes() throws Exception {
        String u = url("d.mp4");
        accepted(Map.of("UploadURLs", RunningService.encode(u),
                "MediaMetaData", meta(u, "\"Title\":\"t\",\"Description\":" + json("x".repeat(1024)))), 1);
        refused(Map.of("UploadURLs", RunningService.encode(u),
                "MediaMetaData", meta(u, "\"Title\":\"t\",\"Description\":" + json("x".repeat(1025)))),
                "InvalidParameter", "MediaMetaData.Description", "1024");
    }

    @Test
    void atMost16TagsOfAtMost32BytesEach() throws Exception {
        String u = url("g.mp4");
        String tags16 = IntStream.range(0, 16).mapToObj(i -> "t" + i).collect(Collectors.joining(","));
        String tags17 = tags16 + ",t16";
        accepted(Map.of("UploadURLs", RunningService.encode(u), "MediaMetaData", meta(u, "\"Title\":\"t\",\"Tags\":" + json(tags16))), 1);
        refused(Map.of("UploadURLs", RunningService.encode(u), "MediaMetaData", meta(u, "\"Title\":\"t\",\"Tags\":" + json(tags17))),
                "InvalidParameter", "MediaMetaData.Tags", "16");
        accepted(Map.of("UploadURLs", RunningService.encode(u),
                "MediaMetaData", meta(u, "\"Title\":\"t\",\"Tags\":" + json("a".repeat(32) + ",b"))), 1);
        refused(Map.of("UploadURLs", RunningService.encode(u),
                "MediaMetaData", meta(u, "\"Title\":\"t\",\"Tags\":" + json("a".repeat(33) + ",b"))),
                "InvalidParameter", "MediaMetaData.Tags", "32");
    }

    @Test
    void noEmojiInTitleDescriptionOrTags() throws Exception {
        String u = url("e.mp4");
        for (String field : List.of("\"Title\":\"Holiday \uD83C\uDF89\"",
                "\"Title\":\"t\",\"Description\":\"fun \uD83D\uDE00\"",
                "\"Title\":\"t\",\"Tags\":\"ok,\u2764\uFE0F\""))  {
            refused(Map.of("UploadURLs", RunningService.encode(u), "MediaMetaData", meta(u, field)),
                    "InvalidParameter", "emoji");
        }
        accepted(Map.of("UploadURLs", RunningService.encode(u),
                "MediaMetaData", meta(u, "\"Title\":\"Fête à Zürich 東京\"")), 1);
    }

    @Test
    void userDataIsAJsonObjectOfAtMost512Bytes() throws Exception {
        String u = RunningService.encode(url("u.mp4"));
        String prefix = "{\"Extend\":{\"k\":\"";
        String suffix = "\"}}";
        String fill512 = "x".repeat(512 - prefix.length() - suffix.length());
        accepted(Map.of("UploadURLs", u, "UserData", prefix + fill512 + suffix), 1);
        refused(Map.of("UploadURLs", u, "UserData", prefix + fill512 + "x" + suffix), "InvalidParameter", "UserData", "512");
        refused(Map.of("UploadURLs", u, "UserData", "[1,2]"), "InvalidParameter", "UserData");
        refused(Map.of("UploadURLs", u, "UserData", "{not json"), "InvalidParameter", "UserData");
        refused(Map.of("UploadURLs", u, "UserData", "{\"MessageCallback\":{\"CallbackURL\":\"file:///etc/passwd\"}}"),
                "InvalidParameter", "CallbackURL");
    }

    @Test
    void mediaMetaDataEntriesMustMatchASubmittedUrl() throws Exception {
        String u = url("m.mp4");
        refused(Map.of("UploadURLs", RunningService.encode(u), "MediaMetaData", meta(url("other.mp4"), "\"Title\":\"t\"")),
                "InvalidParameter", "MediaMetaData.SourceURL");
        refused(Map.of("UploadURLs", RunningService.encode(u), "MediaMetaData", "{\"Title\":\"t\"}"),
                "InvalidParameter", "MediaMetaData");
        refused(Map.of("UploadURLs", RunningService.encode(u), "MediaMetaData", meta(u, "\"Title\":\"t\",\"CateId\":\"abc\"")),
                "InvalidParameter", "MediaMetaData.CateId");
    }

    @Test
    void storageLocationMustBeConfiguredAndIsUsed() throws Exception {
        String u = RunningService.encode(url("s.mp4"));
        refused(Map.of("UploadURLs", u, "UploadTargetConfig", "{\"StorageType\":\"oss\",\"StorageLocation\":\"nowhere\"}"),
                "InvalidParameter", "StorageLocation", "nowhere");
        refused(Map.of("UploadURLs", u, "UploadTargetConfig", "{\"StorageType\":\"tape\"}"),
                "InvalidParameter", "StorageType");
        accepted(Map.of("UploadURLs", u, "UploadTargetConfig", "{\"StorageType\":\"oss\",\"StorageLocation\":\"archive\"}"), 1);
    }

    @Test
    void unknownWorkflowsAreRefusedAtSubmit() throws Exception {
        String u = url("w.mp4");
        refused(Map.of("UploadURLs", RunningService.encode(u), "MediaMetaData", meta(u, "\"Title\":\"t\",\"WorkflowId\":\"nope\"")),
                "InvalidParameter", "WorkflowId", "nope");
        refused(Map.of("UploadURLs", RunningService.encode(u),
                "PostProcessConfig", "{\"ProcessType\":\"Workflow\",\"ProcessID\":\"nope\"}"), "InvalidParameter", "ProcessID");
        refused(Map.of("UploadURLs", RunningService.encode(u), "PostProcessConfig", "{\"ProcessType\":\"Transcode\"}"),
                "InvalidParameter", "ProcessType");
    }

    @Test
    void getUrlUploadInfosTakesAtMostTenAndReturnsEveryJobOfAUrl() throws Exception {
        String u = url("twice.mp4");
        List<String> jobIds = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            jobIds.add(service.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(u)))
                    .body().path("UploadJobs").get(0).path("JobId").asText());
        }
        ApiReply byUrl = service.call("GetUrlUploadInfos", Map.of("UploadURLs", RunningService.encode(u)));
        assertThat(byUrl.body().path("URLUploadInfoList")).extracting(n -> n.path("JobId").asText())
                .containsExactlyInAnyOrderElementsOf(jobIds);

        String ten = String.join(",", jobIds) + "," + IntStream.range(0, 8).mapToObj(i -> "missing" + i).collect(Collectors.joining(","));
        ApiReply ok = service.call("GetUrlUploadInfos", Map.of("JobIds", ten));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().path("URLUploadInfoList")).hasSize(2);
        assertThat(ok.body().path("NonExists")).hasSize(8);
        ApiReply eleven = service.call("GetUrlUploadInfos", Map.of("JobIds", ten + ",missing9"));
        assertThat(eleven.status()).isEqualTo(400);
        assertThat(eleven.body().path("Message").asText()).contains("JobIds", "10");
        // JobIds wins when both are given
        ApiReply both = service.call("GetUrlUploadInfos", Map.of("JobIds", jobIds.get(0), "UploadURLs", RunningService.encode(u)));
        assertThat(both.body().path("URLUploadInfoList")).hasSize(1);
    }
}
