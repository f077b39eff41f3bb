package io.mediaurlingest.fetch;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.job.IngestWork;
import io.mediaurlingest.job.JobFailure;

/**
 * Fetches an HLS VOD presentation (an .m3u8 URL) for a job: the playlist; of a master playlist
 * the highest-bandwidth variant and its separate audio rendition; then every segment in order,
 * each through SourceDownloader.fetch (the address guard, the job's headers for its origin, its
 * cancel and watchdog), AES-128 segments decrypted with their key. The segments of a track go
 * into one file; ingest.fetch.max-file-size caps their sum. The media step remuxes the files
 * into one MP4 (Remuxer).
 */
public final class HlsDownloader {

    static final int MAX_PLAYLIST_BYTES = 8 << 20;
    private static final int KEY_BYTES = 16;

    private final SourceDownloader http;
    private final java.nio.file.Path tempDir;
    private final long maxFileSize;
    private final DiskReserve disk;

    public HlsDownloader(SourceDownloader http, Path tempDir, long maxFileSize, DiskReserve disk) {
        this.http = http;
        this.tempDir = tempDir;
        this.maxFileSize = maxFileSize;
        this.disk = disk;
    }

    /** One track of the presentation: its segments (and init section) and the file they go into. */
    private record Track(HlsPlaylist.Media playlist, Path file) {

        int resources() {
            return playlist.segments().size() + (playlist.initSection() == null ? 0 : 1);
        }
    }

    public IngestWork download(IngestWork work) {
        String jobId = work.job().jobId();
        URI url = SourceUrls.uri(work.job().sourceUrl());
        String text = text(work, url);
        List<HlsPlaylist.Media> playlists = new ArrayList<>();
        if (HlsPlaylist.isMaster(text)) {
            HlsPlaylist.Master master = HlsPlaylist.master(url, text);
            HlsPlaylist.Variant best = master.best();
            playlists.add(HlsPlaylist.media(best.uri(), text(work, best.uri())));
            master.audioOf(best).ifPresent(audio -> playlists.add(HlsPlaylist.media(audio.uri(), text(work, audio.uri()))));
        } else {
            playlists.add(HlsPlaylist.media(url, text));
        }
        List<Track> tracks = new ArrayList<>();
        for (int i = 0; i < playlists.size(); i++) {
            tracks.add(new Track(playlists.get(i), tempDir.resolve(jobId + ".hls-" + i)));
        }
        HlsParts parts = work.hlsParts();
        if (parts == null || parts.files().size() != tracks.size()) {
            parts = new HlsParts(tracks.stream().map(Track::file).toList());
            work.hlsParts(parts);
        }
        int total = tracks.stream().mapToInt(Track::resources).sum();
        Map<URI, byte[]> keys = new HashMap<>();
        long[] fetched = {parts.bytesDone()};
        try {
            for (int t = 0; t < tracks.size(); t++) {
                parts.truncate(t); // what a failed attempt wrote after its last whole segment goes
                Track track = tracks.get(t);
                List<URI> order = new ArrayList<>();
                if (track.playlist().initSection() != null) {
                    order.add(track.playlist().initSection());
                }
                track.playlist().segments().forEach(s -> order.add(s.uri()));
                try (OutputStream file = Files.newOutputStream(track.file(), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                    for (int i = parts.segmentsDone(t); i < order.size(); i++) {
                        if (!disk.hasRoomFor(0)) {
                            throw JobFailure.waitFor(SourceDownloader.WAITING_FOR_DISK, "ingest.data-dir has "
                                    + disk.free() + " bytes free, no more than the " + disk.minFree()
                                    + " kept free (ingest.fetch.min-free-disk).");
                        }
                        int initOffset = track.playlist().initSection() == null ? 0 : 1;
                        HlsPlaylist.Segment segment = i < initOffset ? null : track.playlist().segments().get(i - initOffset);
                        fetchSegment(work, order.get(i), segment, keys, file, fetched, parts.segmentsDone() , total);
                        file.flush();
                        parts.segmentDone(t, Files.size(track.file()));
                        work.progressed(fetched[0], parts.segmentsDone(), total);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the HLS segments to " + tempDir + ": " + e.getMessage(), e);
        }
        return work;
    }

    private void fetchSegment(IngestWork work, URI uri, HlsPlaylist.Segment segment, Map<URI, byte[]> keys,
            OutputStream file, long[] fetched, int segmentsDone, int total) throws IOException {
        DecryptingStream decrypting = segment == null || !segment.key().method().equals("AES-128") ? null
                : new DecryptingStream(file, decrypting(keys.computeIfAbsent(segment.key().uri(), k -> key(work, k)), segment.iv()));
        http.fetch(work, uri, decrypting == null ? file : decrypting, Long.MAX_VALUE, n -> {
            fetched[0] += n;
            if (fetched[0] > maxFileSize) {
                throw JobFailure.permanent(ErrorCode.FILE_TOO_LARGE, "The HLS presentation's segments add up to more than "
                        + "the limit of " + maxFileSize + " bytes.");
            }
            work.progressed(fetched[0], segmentsDone, total);
        });
        if (decrypting != null) {
            decrypting.finish();
        }
    }

    /** A playlist's text (at most 8 MiB). */
    private String text(IngestWork work, URI uri) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        http.fetch(work, uri, body, MAX_PLAYLIST_BYTES, n -> { });
        byte[] bytes = body.toByteArray();
        if (!HlsPlaylist.isPlaylist(bytes)) {
            throw HlsPlaylist.unsupported(uri + " is not an HLS playlist (it does not begin with #EXTM3U).");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** An AES-128 key: exactly 16 bytes. */
    private byte[] key(IngestWork work, URI uri) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        http.fetch(work, uri, body, KEY_BYTES, n -> { });
        if (body.size() != KEY_BYTES) {
            throw HlsPlaylist.unsupported("The HLS key at " + uri + " is " + body.size() + " bytes, not 16.");
        }
        return body.toByteArray();
    }

    private static Cipher decrypting(byte[] key, byte[] iv) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decrypts what is written through it; finish() checks the padding of the last block. */
    private static final class DecryptingStream extends FilterOutputStream {

        private final Cipher cipher;

        DecryptingStream(OutputStream out, Cipher cipher) {
            super(out);
            this.cipher = cipher;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            byte[] plain = cipher.update(b, off, len);
            if (plain != null) {
                out.write(plain);
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        void finish() throws IOException {
            try {
                out.write(cipher.doFinal());
            } catch (GeneralSecurityException e) {
                throw HlsPlaylist.unsupported("An HLS segment cannot be decrypted with its AES-128 key (" + e.getMessage() + ").");
            }
        }

        @Override
        public void close() {
            // the segment file stays open for the next segment
        }
    }
}
