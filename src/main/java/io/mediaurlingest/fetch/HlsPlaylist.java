package io.mediaurlingest.fetch;

import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.job.JobFailure;

/**
 * An HLS playlist (RFC 8216) as far as a VOD ingest needs it: a master playlist's variants and
 * audio renditions, or a media playlist's segments with their keys and init section. What an
 * ingest cannot make one file of (a live playlist, SAMPLE-AES, byte ranges) fails the job with
 * UnsupportedMediaType and says why.
 */
public final class HlsPlaylist {

    /** Most segments one presentation may have: 10 hours of 2-second segments. */
    static final int MAX_SEGMENTS = 20_000;

    public record Variant(long bandwidth, URI uri, String audioGroup) {
    }

    public record Rendition(String groupId, URI uri, boolean isDefault) {
    }

    /** AES-128 (or NONE) for the segments that follow it; iv null: the segment's sequence number. */
    public record Key(String method, URI uri, byte[] iv) {
    }

    public record Segment(URI uri, double duration, long sequence, Key key) {

        /** The IV of an AES-128 segment: given, or its media sequence number as 16 big-endian bytes. */
        public byte[] iv() {
            if (key.iv() != null) {
                return key.iv();
            }
            byte[] iv = new byte[16];
            for (int i = 0; i < 8; i++) {
                iv[15 - i] = (byte) (sequence >>> (8 * i));
            }
            return iv;
        }
    }

    public record Master(List<Variant> variants, List<Rendition> audio) {

        /** The variant of the highest bandwidth. */
        public Variant best() {
            return variants.stream().max(Comparator.comparingLong(Variant::bandwidth)).orElseThrow();
        }

        /** The separate audio of a variant (its group's default rendition, else its first), when it has one. */
        public Optional<Rendition> audioOf(Variant variant) {
            List<Rendition> group = audio.stream().filter(r -> r.groupId().equals(variant.audioGroup()) && r.uri() != null)
                    .toList();
            return group.stream().filter(Rendition::isDefault).findFirst().or(() -> group.stream().findFirst());
        }
    }

    public record Media(List<Segment> segments, URI initSection) {
    }

    private HlsPlaylist() {
    }

    /** Whether the bytes begin as a playlist does (#EXTM3U, after a byte-order mark). */
    public static boolean isPlaylist(byte[] head) {
        String text = new String(head, java.nio.charset.StandardCharsets.UTF_8).replace("\uFEFF", "").stripLeading();
        return text.startsWith("#EXTM3U");
    }

    public static boolean isMaster(String text) {
        return text.contains("#EXT-X-STREAM-INF");
    }

    public static Master master(URI base, String text) {
        List<Variant> variants = new ArrayList<>();
        List<Rendition> audio = new ArrayList<>();
        Map<String, String> pending = null;
        for (String line : lines(text)) {
            if (line.startsWith("#EXT-X-STREAM-INF:")) {
                pending = attributes(line.substring("#EXT-X-STREAM-INF:".length()));
            } else if (line.startsWith("#EXT-X-MEDIA:")) {
                Map<String, String> a = attributes(line.substring("#EXT-X-MEDIA:".length()));
                if ("AUDIO".equals(a.get("TYPE")) && a.containsKey("GROUP-ID")) {
                    audio.add(new Rendition(a.get("GROUP-ID"), a.containsKey("URI") ? resolve(base, a.get("URI")) : null,
                            "YES".equals(a.get("DEFAULT"))));
                }
            } else if (!line.startsWith("#") && pending != null) {
                variants.add(new Variant(number(pending.get("BANDWIDTH")), resolve(base, line), pending.get("AUDIO")));
                pending = null;
            }
        }
        if (variants.isEmpty()) {
            throw unsupported("The HLS master playlist names no variant stream.");
        }
        return new Master(variants, audio);
    }

    public static Media media(URI base, String text) {
        List<Segment> segments = new ArrayList<>();
        long sequence = 0;
        Double duration = null;
        Key key = new Key("NONE", null, null);
        URI init = null;
        boolean ended = false;
        boolean vod = false;
        for (String line : lines(text)) {
            if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                sequence = number(line.substring("#EXT-X-MEDIA-SEQUENCE:".length()));
            } else if (line.startsWith("#EXTINF:")) {
                String value = line.substring("#EXTINF:".length());
                duration = decimal(value.contains(",") ? value.substring(0, value.indexOf(',')) : value);
            } else if (line.startsWith("#EXT-X-KEY:")) {
                key = key(base, attributes(line.substring("#EXT-X-KEY:".length())));
            } else if (line.startsWith("#EXT-X-MAP:")) {
                Map<String, String> a = attributes(line.substring("#EXT-X-MAP:".length()));
                if (a.containsKey("BYTERANGE")) {
                    throw unsupported("The HLS playlist's init section is a byte range, which is not supported.");
                }
                if (init != null || !segments.isEmpty()) {
                    throw unsupported("The HLS playlist changes its init section (EXT-X-MAP) midway, which is not supported.");
                }
                init = resolve(base, a.get("URI"));
            } else if (line.startsWith("#EXT-X-BYTERANGE")) {
                throw unsupported("The HLS playlist's segments are byte ranges (EXT-X-BYTERANGE), which are not supported.");
            } else if (line.equals("#EXT-X-ENDLIST")) {
                ended = true;
            } else if (line.startsWith("#EXT-X-PLAYLIST-TYPE:")) {
                vod = line.substring("#EXT-X-PLAYLIST-TYPE:".length()).trim().equals("VOD");
            } else if (line.startsWith("#EXT-X-STREAM-INF")) {
                throw unsupported("The HLS playlist mixes variant streams and segments.");
            } else if (!line.startsWith("#")) {
                if (duration == null) {
                    throw unsupported("An HLS segment has no #EXTINF duration: " + line);
                }
                segments.add(new Segment(resolve(base, line), duration, sequence++, key));
                duration = null;
                if (segments.size() > MAX_SEGMENTS) {
                    throw unsupported("The HLS playlist has more than " + MAX_SEGMENTS + " segments.");
                }
            }
        }
        if (!ended && !vod) {
            throw unsupported("The HLS playlist is live (it has no #EXT-X-ENDLIST): only a finished (VOD) presentation "
                    + "can become one file; submit it once the stream has ended.");
        }
        if (segments.isEmpty()) {
            throw unsupported("The HLS playlist has no segments.");
        }
        return new Media(List.copyOf(segments), init);
    }

    private static Key key(URI base, Map<String, String> a) {
        String method = a.getOrDefault("METHOD", "NONE");
        if (method.equals("NONE")) {
            return new Key("NONE", null, null);
        }
        if (!method.equals("AES-128")) {
            throw unsupported("The HLS segments are encrypted with " + method + "; only AES-128 is supported.");
        }
        if (!a.containsKey("URI")) {
            throw unsupported("An HLS AES-128 key has no URI.");
        }
        String keyFormat = a.getOrDefault("KEYFORMAT", "identity");
        if (!keyFormat.equals("identity")) {
            throw unsupported("The HLS key format " + keyFormat + " is DRM, which is not supported.");
        }
        byte[] iv = null;
        String ivText = a.get("IV");
        if (ivText != null) {
            String hex = ivText.toLowerCase(Locale.ROOT).startsWith("0x") ? ivText.substring(2) : ivText;
            if (!hex.matches("[0-9a-fA-F]{1,32}")) {
                throw unsupported("An HLS key's IV is not a 128-bit hexadecimal number.");
            }
            byte[] raw = new BigInteger(hex, 16).toByteArray();
            iv = new byte[16];
            int copy = Math.min(raw.length, 16);
            System.arraycopy(raw, raw.length - copy, iv, 16 - copy, copy);
        }
        return new Key("AES-128", resolve(base, a.get("URI")), iv);
    }

    /** ATTRIBUTE=value pairs, values quoted ("a,b") or not. */
    static Map<String, String> attributes(String list) {
        Map<String, String> out = new HashMap<>();
        int i = 0;
        while (i < list.length()) {
            int eq = list.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = list.substring(i, eq).trim();
            int end;
            String value;
            if (eq + 1 < list.length() && list.charAt(eq + 1) == '"') {
                int close = list.indexOf('"', eq + 2);
                if (close < 0) {
                    throw unsupported("An HLS attribute list has an unclosed quote.");
                }
                value = list.substring(eq + 2, close);
                end = list.indexOf(',', close);
            } else {
                end = list.indexOf(',', eq);
                value = (end < 0 ? list.substring(eq + 1) : list.substring(eq + 1, end)).trim();
            }
            out.put(name, value);
            i = end < 0 ? list.length() : end + 1;
        }
        return out;
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.replace("\uFEFF", "").split("\r?\n|\r")) {
            String trimmed = line.trim();
            if (!trimmed.isEmpty()) {
                lines.add(trimmed);
            }
        }
        if (lines.isEmpty() || !lines.get(0).equals("#EXTM3U")) {
            throw unsupported("The file is not an HLS playlist (it does not begin with #EXTM3U).");
        }
        return lines;
    }

    /** A URI of the playlist, relative to it; only http and https (the address guard checks the host). */
    private static URI resolve(URI base, String reference) {
        URI uri;
        try {
            uri = base.resolve(SourceUrls.fetchable(reference.trim()));
        } catch (IllegalArgumentException e) {
            throw unsupported("The HLS playlist names a URI that is not valid: " + reference);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw JobFailure.permanent(ErrorCode.ADDRESS_NOT_ALLOWED,
                    "The HLS playlist names a " + (scheme.isEmpty() ? "relative" : scheme) + " URI; only http and https are fetched.");
        }
        return uri;
    }

    private static long number(String text) {
        try {
            return text == null ? 0 : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw unsupported("The HLS playlist has a number that is not one: " + text);
        }
    }

    private static double decimal(String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw unsupported("The HLS playlist has a duration that is not a number: " + text);
        }
    }

    static JobFailure unsupported(String message) {
        return JobFailure.permanent(ErrorCode.UNSUPPORTED_MEDIA_TYPE, message);
    }
}
