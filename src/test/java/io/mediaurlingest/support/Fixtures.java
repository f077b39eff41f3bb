package io.mediaurlingest.support;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The small real media files under src/test/resources/media (made with ffmpeg). */
public final class Fixtures {

    private Fixtures() {
    }

    public static byte[] media(String name) throws IOException {
        try (InputStream in = Fixtures.class.getResourceAsStream("/media/" + name)) {
            if (in == null) {
                throw new IOException("no fixture " + name);
            }
            return in.readAllBytes();
        }
    }

    /**
     * A file the service takes for an MP4 of the given size: the real sample.mp4 at its start,
     * then noise from the seed (the same bytes for the same seed).
     */
    public static byte[] mp4OfSize(int size, long seed) throws IOException {
        byte[] file = new byte[size];
        new java.util.Random(seed).nextBytes(file);
        byte[] sample = media("sample.mp4");
        System.arraycopy(sample, 0, file, 0, sample.length);
        return file;
    }

    public static String sha256(byte[] bytes) {
        return digest("SHA-256", bytes);
    }

    public static String md5(byte[] bytes) {
        return digest("MD5", bytes);
    }

    private static String digest(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
