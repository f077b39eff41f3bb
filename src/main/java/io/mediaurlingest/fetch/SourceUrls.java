package io.mediaurlingest.fetch;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Source URLs as callers give them and as they are fetched. A job keeps the URL as given (once
 * percent-decoded by the API, without any user:password@); the request goes to its fetchable
 * form, where what a URL may not hold is percent-encoded as browsers do. So "sp ace.mp4",
 * "sp%20ace.mp4" and "a%2Cb.mp4" all reach the source as the file's own name.
 */
public final class SourceUrls {

    private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    /** Legal after the authority: unreserved, sub-delims, ':' '@' '/' '?', and '%' when it starts an escape. */
    private static final String LEGAL = UNRESERVED + "!$&'()*+,;=:@/?";

    private SourceUrls() {
    }

    /**
     * The URL with every character that a URL may not hold after its authority (space, non-ASCII,
     * '"', '<', '>', '\', '^', '`', '{', '|', '}', '[', ']', a '%' that starts no escape, a second
     * '#') percent-encoded as UTF-8; legal characters and existing escapes are kept as they are.
     */
    public static String fetchable(String url) {
        int schemeEnd = url.indexOf("://");
        int pathStart = schemeEnd < 0 ? 0 : indexOfAny(url, "/?#", schemeEnd + 3);
        if (pathStart < 0) {
            return url;
        }
        StringBuilder out = new StringBuilder(url.length() + 16).append(url, 0, pathStart);
        boolean fragment = false;
        for (int i = pathStart; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '%' && i + 2 < url.length() && isHex(url.charAt(i + 1)) && isHex(url.charAt(i + 2))) {
                out.append(c);
            } else if (c == '#' && !fragment) {
                fragment = true;
                out.append(c);
            } else if (c < 0x80 && LEGAL.indexOf(c) >= 0) {
                out.append(c);
            } else {
                int codePoint = url.codePointAt(i);
                if (Character.charCount(codePoint) == 2) {
                    i++;
                }
                for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
                }
            }
        }
        return out.toString();
    }

    /** The fetchable URL as a URI; IllegalArgumentException when it still is not one. */
    public static URI uri(String url) {
        return URI.create(fetchable(url));
    }

    /** Where a URL's authority is, and its '@' (-1: no user:password@). */
    private record Authority(int start, int end, int at) {

        static Authority of(String url) {
            int schemeEnd = url.indexOf("://");
            if (schemeEnd < 0) {
                return new Authority(0, 0, -1);
            }
            int start = schemeEnd + 3;
            int end = indexOfAny(url, "/?#", start);
            end = end < 0 ? url.length() : end;
            int at = url.lastIndexOf('@', end - 1);
            return new Authority(start, end, at < start ? -1 : at);
        }
    }

    /** The URL without its user:password@ part (a job keeps and shows no credentials). */
    public static String withoutUserInfo(String url) {
        Authority a = Authority.of(url);
        return a.at() < 0 ? url : url.substring(0, a.start()) + url.substring(a.at() + 1);
    }

    /** "Basic …" for the URL's user:password@ (each percent-decoded), or null when it has none. */
    public static String basicAuthorization(String url) {
        Authority a = Authority.of(url);
        if (a.at() < 0) {
            return null;
        }
        String userInfo = url.substring(a.start(), a.at());
        int colon = userInfo.indexOf(':');
        String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text; // not an escape: taken as written
        }
    }

    private static int indexOfAny(String text, String chars, int from) {
        for (int i = from; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
