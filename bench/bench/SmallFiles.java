package bench;

import static bench.Bench.JSON;
import static bench.Shell.run;
import static bench.SourceFiles.serve;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Many small files (400 MP4s of about 215 KB, made with ffmpeg), where per-job cost decides:
 * this service (probing on, 4 at a time) against a 4-thread Python script streaming each URL
 * into boto3's upload_fileobj, alternating, into the same store, from the same source. The
 * service first ingests the files unmeasured until its JIT has settled (WarmUp: on 2 cores that
 * takes it 20 to 23 rounds, about a minute), as a service that has been running has;
 * those rounds' times are kept in the results (the first one is the cold start). boto3's script
 * is a new process each round either way.
 */
final class SmallFiles {

    static final int COUNT = 400;

    private SmallFiles() {
    }

    static Map<String, Object> run(Path media, int rounds) throws Exception {
        Path clip = media.resolve("small-clip.mp4");
        Shell.run(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-t", "4",
                "-c:v", "libx264", "-b:v", "420k", "-pix_fmt", "yuv420p", clip.toString()));
        for (int i = 0; i < COUNT; i++) {
            Files.createLink(media.resolve("s" + i + ".mp4"), clip);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("files", COUNT);
        result.put("fileBytes", Files.size(clip));
        List<Double> ours = new ArrayList<>();
        List<Double> boto3 = new ArrayList<>();
        try (SourceFiles.FileServer files = serve(media);
                ServiceUnderTest service = ServiceUnderTest.start("small", "1g")) {
            String base = "http://127.0.0.1:" + files.port() + "/";
            result.put("oursWarmUp", WarmUp.untilSettled(service.process.pid(), round -> timeOurs(service, base, round),
                    2, 40, "ours"));
            for (int round = 1; round <= rounds; round++) {
                ours.add(timeOurs(service, base, round));
                boto3.add(timeBoto3(service, base, round));
                System.out.printf("round %d: ours %.2f s, boto3 script %.2f s%n", round, ours.get(round - 1),
                        boto3.get(round - 1));
            }
        }
        double bestOurs = ours.stream().mapToDouble(d -> d).min().orElseThrow();
        double bestBoto3 = boto3.stream().mapToDouble(d -> d).min().orElseThrow();
        result.put("oursSeconds", ours);
        result.put("boto3Seconds", boto3);
        result.put("oursOverBoto3WallTime", bestOurs / bestBoto3);
        return result;
    }

    /** All files in batches of 20 URLs (the API's limit), then until every job has ended. */
    static double timeOurs(ServiceUnderTest service, String base, int round) throws Exception {
        long start = System.nanoTime();
        List<String> jobIds = new ArrayList<>();
        for (int from = 0; from < COUNT; from += 20) {
            List<String> urls = new ArrayList<>();
            for (int i = from; i < Math.min(COUNT, from + 20); i++) {
                urls.add(URLEncoder.encode(base + "s" + i + ".mp4?r=" + round, StandardCharsets.UTF_8));
            }
            service.call("UploadMediaByURL", Map.of("UploadURLs", String.join(",", urls))).path("UploadJobs")
                    .forEach(j -> jobIds.add(j.path("JobId").asText()));
        }
        int next = 0;
        while (next < jobIds.size()) { // ask about 10 at a time, the API's limit, until each has ended
            List<String> batch = jobIds.subList(next, Math.min(jobIds.size(), next + 10));
            boolean ended = true;
            for (JsonNode info : service.call("GetUrlUploadInfos", Map.of("JobIds", String.join(",", batch)))
                    .path("URLUploadInfoList")) {
                String status = info.path("Status").asText();
                if (status.equals("FAIL")) {
                    throw new IllegalStateException("job failed: " + JSON.writeValueAsString(info));
                }
                ended &= status.equals("SUCCESS");
            }
            if (ended) {
                next += batch.size();
            } else {
                Thread.sleep(20);
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    static double timeBoto3(ServiceUnderTest service, String base, int round) throws Exception {
        String python = System.getenv().getOrDefault("BENCH_PYTHON", "python3");
        List<String> command = new ArrayList<>(List.of(python, "bench/boto3_copy.py", service.storeEndpoint(),
                "boto3/r" + round));
        for (int i = 0; i < COUNT; i++) {
            command.add(base + "s" + i + ".mp4?r=" + round);
        }
        long start = System.nanoTime();
        Shell.run(command);
        return (System.nanoTime() - start) / 1e9;
    }
}
