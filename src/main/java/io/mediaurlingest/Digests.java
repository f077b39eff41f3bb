package io.mediaurlingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of text, as lowercase hex: index keys for URLs too long to index directly. */
public final class Digests {

    private Digests() {
    }

    /** A new digest of an algorithm every JVM has (MD5, SHA-256). */
    public static MessageDigest of(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Feeds a file's bytes to the digests (nulls are skipped). */
    public static void feed(java.nio.file.Path file, MessageDigest... digests) throws java.io.IOException {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                for (MessageDigest digest : digests) {
                    if (digest != null) {
                        digest.update(buffer, 0, n);
                    }
                }
            }
        }
    }

    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(of("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
