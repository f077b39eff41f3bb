package io.mediaurlingest.media;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The audio and video file extensions ICE accepts for upload by URL, and what each one is. */
public final class MediaFormats {

    public static final Set<String> VIDEO = Set.of("mp4", "ts", "3gp", "mpg", "mpeg", "mpe", "dat", "vob", "asf",
            "avi", "wmv", "flv", "f4v", "rm", "rmvb", "mov", "mkv", "m3u8", "dv", "gif", "m2t", "m4v", "mj2", "mjpeg",
            "mts", "ogg", "qt", "swf", "webm");

    public static final Set<String> AUDIO = Set.of("mp3", "wma", "wav", "aac", "ra", "m4a", "flac", "ape", "ac3",
            "amr", "caf", "acm");

    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("mp4", "video/mp4"), Map.entry("m4v", "video/x-m4v"), Map.entry("mov", "video/quicktime"),
            Map.entry("qt", "video/quicktime"), Map.entry("webm", "video/webm"), Map.entry("mkv", "video/x-matroska"),
            Map.entry("ts", "video/mp2t"), Map.entry("m2t", "video/mp2t"), Map.entry("mts", "video/mp2t"),
            Map.entry("avi", "video/x-msvideo"), Map.entry("flv", "video/x-flv"), Map.entry("f4v", "video/x-f4v"),
            Map.entry("3gp", "video/3gpp"), Map.entry("mpg", "video/mpeg"), Map.entry("mpeg", "video/mpeg"),
            Map.entry("mpe", "video/mpeg"), Map.entry("wmv", "video/x-ms-wmv"), Map.entry("asf", "video/x-ms-asf"),
            Map.entry("ogg", "video/ogg"), Map.entry("gif", "image/gif"), Map.entry("m3u8", "application/vnd.apple.mpegurl"),
            Map.entry("swf", "application/x-shockwave-flash"), Map.entry("mp3", "audio/mpeg"), Map.entry("m4a", "audio/mp4"),
            Map.entry("aac", "audio/aac"), Map.entry("wav", "audio/wav"), Map.entry("flac", "audio/flac"),
            Map.entry("wma", "audio/x-ms-wma"), Map.entry("amr", "audio/amr"), Map.entry("ac3", "audio/ac3"),
            Map.entry("ape", "audio/ape"), Map.entry("caf", "audio/x-caf"));

    private MediaFormats() {
    }

    public static boolean isKnown(String extension) {
        return extension != null && (VIDEO.contains(normalise(extension)) || AUDIO.contains(normalise(extension)));
    }

    /** "video" or "audio", as ICE's MediaType. */
    public static String mediaType(String extension) {
        return AUDIO.contains(normalise(extension)) ? "audio" : "video";
    }

    public static String contentType(String extension) {
        return CONTENT_TYPES.getOrDefault(normalise(extension), "application/octet-stream");
    }

    public static String normalise(String extension) {
        String e = extension.trim().toLowerCase(Locale.ROOT);
        return e.startsWith(".") ? e.substring(1) : e;
    }

    /** The extension of the URL's last path segment, if it has one. */
    public static Optional<String> extensionOf(URI url) {
        String path = url.getPath();
        if (path == null) {
            return Optional.empty();
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 || dot == name.length() - 1 ? Optional.empty() : Optional.of(normalise(name.substring(dot + 1)));
    }

    /** The file name of the URL's last path segment without extension, or null. */
    public static String baseNameOf(URI url) {
        String path = url.getPath();
        if (path == null || path.isEmpty() || path.endsWith("/")) {
            return null;
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? name : name.substring(0, dot);
    }
}
