package io.mediaurlingest.store;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;

/**
 * Where objects live in a store, and which keys a client may name. The service writes only
 * under {@link #MANAGED_PREFIX}: a job's file as media/{MediaId}.{ext}, its snapshot as
 * media/{MediaId}-snapshot.jpg. Those belong to their media and are never registered by hand.
 *
 * <p>A key a client names (InputURL, CoverURL) must be the one form the store keeps: a store
 * that sits on a file system (S3Proxy's, MinIO's) resolves media/./a.mp4, media//a.mp4,
 * media/x/../a.mp4 or media\a.mp4 to the object media/a.mp4, so such forms would let one
 * AppId register another's object under a URL nobody has registered yet. They are refused,
 * not repaired: the caller learns the rule, and no two spellings ever name one object.
 */
public final class ObjectKeys {

    public static final String MANAGED_PREFIX = "media/";
    static final int MAX_KEY_BYTES = 1024;

    private ObjectKeys() {
    }

    public static String jobObject(String mediaId, String extension) {
        return MANAGED_PREFIX + mediaId + "." + extension;
    }

    /** The key of a media's own snapshot: the one cover in a store that is handed out presigned. */
    public static String snapshot(String mediaId) {
        return MANAGED_PREFIX + mediaId + "-snapshot.jpg";
    }

    public static boolean isManaged(String key) {
        return key.startsWith(MANAGED_PREFIX);
    }

    /** A key that is not in its one canonical form. */
    public static final class InvalidKeyException extends IllegalArgumentException {
        InvalidKeyException(String message) {
            super(message);
        }
    }

    /**
     * Checks the raw (still percent-encoded) path of a URL for encoded dots, slashes and
     * backslashes: names that decode into separators or dot segments.
     */
    static void checkRaw(String rawPath) {
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c")) {
            throw new InvalidKeyException("the object key must not percent-encode '.', '/' or '\\'");
        }
    }

    /** The key itself if it is canonical; else InvalidKeyException saying which rule it breaks. */
    public static String canonical(String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidKeyException("the object key is empty");
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new InvalidKeyException("the object key is longer than " + MAX_KEY_BYTES + " bytes");
        }
        if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\' || c == '%')) {
            throw new InvalidKeyException("the object key must not contain control characters, '\\' or '%'");
        }
        if (!Normalizer.isNormalized(key, Normalizer.Form.NFC)) {
            throw new InvalidKeyException("the object key must be in Unicode normal form C");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty()) {
                throw new InvalidKeyException("the object key must not start or end with '/' or hold '//'");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new InvalidKeyException("the object key must not hold '.' or '..' segments");
            }
        }
        return key;
    }

    /** The key as it appears in a URL path: each segment percent-encoded (RFC 3986), slashes kept. */
    static String encodePath(String key) {
        StringBuilder out = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/!$&'()*+,;=:@".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
