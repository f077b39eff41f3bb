package io.mediaurlingest.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.mediaurlingest.store.StorageLocations;

/**
 * ICE's limits on descriptive metadata, shared by UploadMediaByURL (MediaMetaData),
 * RegisterMediaInfo and UpdateMediaInfo. Each refusal names the parameter and the rule.
 */
public final class MetadataRules {

    static final int MAX_TITLE_BYTES = 128;
    static final int MAX_DESCRIPTION_BYTES = 1024;
    static final int MAX_TAGS = 16;
    static final int MAX_TAG_BYTES = 32;

    private MetadataRules() {
    }

    public static String title(String parameter, String title) {
        if (title == null) {
            return null;
        }
        if (title.isBlank()) {
            throw ApiException.invalid(parameter + " must not be empty.");
        }
        maxBytes(parameter, title, MAX_TITLE_BYTES);
        noEmoji(parameter, title);
        return title;
    }

    public static String description(String parameter, String description) {
        if (description == null) {
            return null;
        }
        maxBytes(parameter, description, MAX_DESCRIPTION_BYTES);
        noEmoji(parameter, description);
        return description;
    }

    /** Comma-separated tags: at most 16, each at most 32 bytes, no emoji. Returns them normalised. */
    public static String tags(String parameter, String tags) {
        if (tags == null) {
            return null;
        }
        List<String> list = split(tags);
        if (list.size() > MAX_TAGS) {
            throw ApiException.invalid(parameter + " holds " + list.size() + " tags; at most " + MAX_TAGS + " are allowed.");
        }
        for (String tag : list) {
            maxBytes(parameter + " (tag \"" + tag + "\")", tag, MAX_TAG_BYTES);
            noEmoji(parameter, tag);
        }
        return String.join(",", list);
    }

    public static List<String> split(String tags) {
        return Arrays.stream(tags.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    public static String url(String parameter, String url) {
        if (url == null) {
            return null;
        }
        UploadMediaByUrl.parseUrl(url, parameter); // http(s), a host, at most 8192 characters
        return url;
    }

    /**
     * A CoverURL: http(s), and not into one of our stores. Objects there are handed out presigned
     * only as a media's own snapshot; a cover naming any other would let a caller read objects
     * it does not own.
     */
    static String coverUrl(String parameter, String url, StorageLocations locations) {
        url(parameter, url);
        if (url != null && locations.isStoreUrl(url)) {
            throw ApiException.invalid(parameter + " must not point into the media store; a cover there is made "
                    + "by the snapshot workflow.");
        }
        return url;
    }

    public static Long cateId(String parameter, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(parameter + " must be a whole number.");
        }
    }

    static void maxBytes(String parameter, String text, int max) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > max) {
            throw ApiException.invalid(parameter + " is " + bytes + " bytes long; at most " + max + " bytes (UTF-8) are allowed.");
        }
    }

    /** Emoji and other pictographs (and their joiners and variation selectors) are refused, as ICE does. */
    static void noEmoji(String parameter, String text) {
        boolean emoji = text.codePoints().anyMatch(cp ->
                (cp >= 0x1F000 && cp <= 0x1FAFF) // pictographs, emoticons, transport, symbols & pictographs ext.
                        || (cp >= 0x2600 && cp <= 0x27BF) // misc symbols, dingbats
                        || (cp >= 0x2B00 && cp <= 0x2BFF) // arrows, stars used as emoji
                        || cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F) // joiner, variation selectors
                        || (cp >= 0xE0020 && cp <= 0xE007F)); // tag characters (flags)
        if (emoji) {
            throw ApiException.invalid(parameter + " must not contain emoji.");
        }
    }
}
