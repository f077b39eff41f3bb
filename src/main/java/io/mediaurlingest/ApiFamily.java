package io.mediaurlingest;

import java.util.Locale;

/**
 * The two Alibaba Cloud API families served on one endpoint, told apart by the request's
 * Version: ICE (Intelligent Media Services, 2020-11-09) and ApsaraVideo VOD (2017-03-21).
 * A job remembers which family submitted it, so its events take that family's shape.
 */
public enum ApiFamily {
    ICE("2020-11-09"),
    VOD("2017-03-21");

    private final String version;

    ApiFamily(String version) {
        this.version = version;
    }

    public String version() {
        return version;
    }

    /** The family of a request's Version; ICE when the caller gives none (in-process callers). */
    public static ApiFamily ofVersion(String version) {
        if (version == null || version.isBlank()) {
            return ICE;
        }
        for (ApiFamily family : values()) {
            if (family.version.equals(version.trim())) {
                return family;
            }
        }
        return null;
    }

    /** ingest.callback.format's names: ice, vod. */
    public static ApiFamily named(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
