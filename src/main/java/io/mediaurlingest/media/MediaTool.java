package io.mediaurlingest.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs ffmpeg or ffprobe on one local file, under the rules every run follows:
 * <ul>
 * <li>the input is a regular file on disk, given as file:{absolute path}, never a URL;</li>
 * <li>{@code -protocol_whitelist file}: the tool opens no network connection of its own;</li>
 * <li>{@code -format_whitelist}: only demuxers that read the one file they are given. Playlist
 * and reference formats (hls, dash, concat, imf, sdp, image2 patterns, …) open other
 * resources by name: an HLS playlist stored as media would otherwise make the tool fetch its
 * segments from any host, internal ones included, past the address guard;</li>
 * <li>a hard timeout: the process (and anything it started) is killed when it runs longer;
 * its output is read on other threads, so a tool that writes much and never exits cannot
 * block the caller, and only the first MiBs of it are kept.</li>
 * </ul>
 */
public final class MediaTool {

    /** Demuxers (FFmpeg names) of the formats we accept that read exactly one file. */
    static final String DEMUXERS = String.join(",", "mov", "mp4", "m4a", "3gp", "3g2", "mj2", "matroska", "webm",
            "mpegts", "mpeg", "mpegvideo", "m4v", "h264", "hevc", "avi", "asf", "flv", "live_flv", "ogg", "wav", "w64",
            "mp3", "aac", "flac", "ac3", "eac3", "amr", "amrnb", "amrwb", "caf", "rm", "dv", "gif", "mjpeg", "swf", "ape",
            "aiff", "wv", "mxf", "dts", "truehd", "loas", "vc1");

    private static final int MAX_OUTPUT = 4 << 20;

    private final String program;
    private final Duration timeout;

    /**
     * @param program path of ffmpeg or ffprobe
     * @param timeout ingest.media.timeout: longest run before the process is killed
     */
    public MediaTool(String program, Duration timeout) {
        this.program = program;
        this.timeout = timeout;
    }

    /** What a run left: its exit code (-1 when killed), the start of its output and of its errors. */
    public record Result(int exitCode, boolean timedOut, byte[] stdout, String stderr) {
        public boolean succeeded() {
            return !timedOut && exitCode == 0;
        }
    }

    /**
     * Runs {@code program -v error [before] -protocol_whitelist file -format_whitelist … -i file:{input} [after]}.
     */
    public Result run(List<String> before, Path input, List<String> after) throws IOException, InterruptedException {
        if (!Files.isRegularFile(input)) {
            throw new IOException(input + " is not a regular file");
        }
        List<String> command = new ArrayList<>(List.of(program, "-v", "error"));
        if (!program.endsWith("ffprobe")) {
            command.add("-nostdin"); // ffmpeg would otherwise read keys from its standard input
        }
        command.addAll(before);
        command.addAll(List.of("-protocol_whitelist", "file", "-format_whitelist", DEMUXERS,
                "-i", "file:" + input.toAbsolutePath()));
        command.addAll(after);
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close(); // nothing to read on its standard input
        OutputReader stdout = new OutputReader(process.getInputStream());
        OutputReader stderr = new OutputReader(process.getErrorStream());
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        return new Result(finished ? process.exitValue() : -1, !finished, stdout.bytes(),
                new String(stderr.bytes(), StandardCharsets.UTF_8).strip());
    }

    public Duration timeout() {
        return timeout;
    }

    /** Reads a process stream to its end on its own thread, keeping only the first MiBs. */
    private static final class OutputReader extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        OutputReader(InputStream in) {
            super("media-tool-output");
            this.in = in;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (kept) {
                        kept.write(buffer, 0, Math.max(0, Math.min(n, MAX_OUTPUT - kept.size())));
                    }
                }
            } catch (IOException ignored) {
                // the process was killed: what was read is kept
            }
        }

        byte[] bytes() throws InterruptedException {
            join(5000);
            synchronized (kept) {
                return kept.toByteArray();
            }
        }
    }
}
