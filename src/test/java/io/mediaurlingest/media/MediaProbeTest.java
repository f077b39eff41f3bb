package io.mediaurlingest.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Json;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probe figures against ffprobe's, recorded beside the fixtures in media/ffprobe.json:
 * Duration within 0.1 s, Width and Height exactly, FormatName, MediaType.
 */
class MediaProbeTest {

    static final List<String> FIXTURES = List.of("sample.mp4", "sample.mov", "sample.m4a", "sample.mp3", "sample.wav",
            "sample.flac", "sample.webm", "sample.mkv", "sample.ts");

    @TempDir
    Path dataDir;

    static JsonNode expected() throws Exception {
        return Json.read(new String(Fixtures.media("ffprobe.json")));
    }

    @Test
    void getMediaInfoReportsFfprobesFiguresForEveryFixture() throws Exception {
        Map<String, String> settings = new HashMap<>(RunningService.loopbackAllowed());
        LoopbackHttpServer sources = new LoopbackHttpServer();
        for (String name : FIXTURES) {
            sources.serve("/m/" + name, "application/octet-stream", Fixtures.media(name));
        }
        try (sources; RunningService service = RunningService.start(dataDir, settings)) {
            List<String> urls = FIXTURES.stream().map(n -> RunningService.encode(sources.url("/m/" + n))).toList();
            JsonNode jobs = service.call("UploadMediaByURL", Map.of("UploadURLs", String.join(",", urls))).body().path("UploadJobs");
            List<String> jobIds = new ArrayList<>();
            jobs.forEach(j -> jobIds.add(j.path("JobId").asText()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                JsonNode infos = service.call("GetUrlUploadInfos", Map.of("JobIds", String.join(",", jobIds.subList(0, 9))))
                        .body().path("URLUploadInfoList");
                for (JsonNode info : infos) {
                    if (!info.path("Status").asText().equals("SUCCESS")) {
                        return false;
                    }
                }
                return infos.size() == 9;
            });
            JsonNode expected = expected();
            for (JsonNode job : jobs) {
                String name = job.path("SourceURL").asText().substring(job.path("SourceURL").asText().lastIndexOf('/') + 1);
                JsonNode info = service.call("GetMediaInfo", Map.of("MediaId", job.path("MediaId").asText())).body().path("MediaInfo");
                JsonNode file = info.path("FileInfoList").get(0);
                JsonNode basic = file.path("FileBasicInfo");
                JsonNode want = expected.path(name);
                assertThat(basic.path("FormatName").asText()).as(name).isEqualTo(want.path("FormatName").asText());
                assertThat(basic.path("Duration").asDouble()).as(name).isCloseTo(want.path("Duration").asDouble(), within(0.1));
                assertThat(basic.path("Bitrate").asLong()).as(name).isPositive();
                assertThat(info.path("MediaBasicInfo").path("MediaType").asText()).as(name).isEqualTo(want.path("MediaType").asText());
                if (want.path("Width").isNull()) {
                    assertThat(file.path("VideoStreamInfoList")).as(name).isEmpty();
                    assertThat(file.path("AudioStreamInfoList")).as(name).isNotEmpty();
                } else {
                    assertThat(basic.path("Width").asInt()).as(name).isEqualTo(want.path("Width").asInt());
                    assertThat(basic.path("Height").asInt()).as(name).isEqualTo(want.path("Height").asInt());
                    assertThat(file.path("VideoStreamInfoList").get(0).path("CodecName").asText()).as(name).isNotBlank();
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"sample.mp4,video/mp4", "sample.mov,video/quicktime", "sample.m4a,audio/mp4"})
    void pureJavaProbingMatchesFfprobeForTheMp4Family(String name, String contentType) throws Exception {
        Path file = dataDir.resolve(name);
        Files.write(file, Fixtures.media(name));
        ProbeResult probe = new MediaProber(null).probe(file, contentType).orElseThrow();
        JsonNode want = expected().path(name);

        assertThat(probe.probedBy()).isEqualTo("tika");
        assertThat(Double.parseDouble(probe.duration())).isCloseTo(want.path("Duration").asDouble(), within(0.1));
        assertThat(probe.formatName()).isEqualTo(want.path("FormatName").asText());
        if (!want.path("Width").isNull()) {
            assertThat(Integer.parseInt(probe.width())).isEqualTo(want.path("Width").asInt());
            assertThat(Integer.parseInt(probe.height())).isEqualTo(want.path("Height").asInt());
        }
        assertThat(probe.mediaType()).isEqualTo(want.path("MediaType").asText());
    }

    @Test
    void pureJavaProbingLeavesOutWhatItCannotMeasureRight() throws Exception {
        Path mp3 = dataDir.resolve("sample.mp3");
        Files.write(mp3, Fixtures.media("sample.mp3"));
        assertThat(new MediaProber(null).probe(mp3, "audio/mpeg")).isEmpty();
    }
}
