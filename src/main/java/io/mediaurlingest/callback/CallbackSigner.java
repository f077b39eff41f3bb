package io.mediaurlingest.callback;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.mediaurlingest.ApiFamily;

/**
 * Signs a delivery so receivers can trust it: when an AuthKey is configured, ICE's
 * X-ICE-TIMESTAMP / X-ICE-SIGNATURE for ICE-shaped events and VOD's X-VOD-TIMESTAMP /
 * X-VOD-SIGNATURE for VOD-shaped ones (both: lowercase hex MD5 of "CallbackURL|timestamp|AuthKey");
 * and Standard Webhooks
 * (webhook-id, webhook-timestamp, webhook-signature "v1,base64(HMAC-SHA256(id.timestamp.body))")
 * on every delivery, signed when a whsec_ secret is configured.
 */
public final class CallbackSigner {

    private final String authKey;
    private final byte[] webhookSecret;

    /**
     * @param authKey ingest.callback.auth-key, or null
     * @param webhookSecret ingest.callback.webhook-secret ("whsec_" + base64), or null
     */
    public CallbackSigner(String authKey, String webhookSecret) {
        this.authKey = authKey;
        if (webhookSecret == null) {
            this.webhookSecret = null;
        } else {
            String encoded = webhookSecret.startsWith("whsec_") ? webhookSecret.substring(6) : webhookSecret;
            this.webhookSecret = Base64.getDecoder().decode(encoded);
        }
    }

    /** The headers of one delivery attempt of an event. */
    public Map<String, String> headers(String eventId, String callbackUrl, String body, long unixSeconds, ApiFamily format) {
        Map<String, String> headers = new LinkedHashMap<>();
        String timestamp = String.valueOf(unixSeconds);
        if (authKey != null) {
            String prefix = format == ApiFamily.VOD ? "X-VOD-" : "X-ICE-";
            headers.put(prefix + "TIMESTAMP", timestamp);
            headers.put(prefix + "SIGNATURE", urlSignature(callbackUrl, timestamp, authKey));
        }
        headers.put("webhook-id", eventId);
        headers.put("webhook-timestamp", timestamp);
        if (webhookSecret != null) {
            headers.put("webhook-signature", "v1," + webhookSignature(webhookSecret, eventId, timestamp, body));
        }
        return headers;
    }

    public static String urlSignature(String callbackUrl, String timestamp, String authKey) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5")
                    .digest((callbackUrl + "|" + timestamp + "|" + authKey).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md5);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String webhookSignature(byte[] secret, String id, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] signature = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
