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
