package io.mediaurlingest.api;

import java.util.List;
import java.util.Locale;

import io.mediaurlingest.ApiFamily;

/**
 * One AccessKey pair, the actions it may call (RAM style: ice:UploadMediaByURL, ice:Get*,
 * ice:*, vod:GetVideoInfo, vod:*, or * for both families), and optionally the AppId it is bound
 * to. toString never shows the secret.
 */
public record AccessKey(String id, String secret, List<String> actions, String appId) {

    public boolean mayCall(ApiFamily family, String action) {
        String wanted = ramAction(family, action).toLowerCase(Locale.ROOT);
        for (String pattern : actions) {
            String p = pattern.toLowerCase(Locale.ROOT);
            if (p.equals("*") || p.equals(wanted) || (p.endsWith("*") && wanted.startsWith(p.substring(0, p.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    /** The action as RAM names it: ice:UploadMediaByURL, vod:GetVideoInfo. */
    public static String ramAction(ApiFamily family, String action) {
        return family.name().toLowerCase(Locale.ROOT) + ":" + action;
    }

    @Override
    public String toString() {
        return "AccessKey[" + id + (appId == null ? "" : ", AppId " + appId) + "]";
    }
}
