package io.mediaurlingest.callback;

import io.mediaurlingest.ApiFamily;

/**
 * Which shape events take: ICE's envelope or VOD's flat body, by the family that submitted the
 * job (ingest.callback.format=auto) or always one of them; and the UserId ICE's envelope carries.
 */
public final class EventShape {

    private final ApiFamily fixed;
    private final long userId;

    /**
     * @param format ingest.callback.format: auto, ice or vod
     * @param userId ingest.callback.user-id
     */
    public EventShape(String format, long userId) {
        this.fixed = format.trim().equalsIgnoreCase("auto") ? null : ApiFamily.named(format);
        this.userId = userId;
    }

    /** The shape of the events of work that a call of this family submitted. */
    public ApiFamily formatFor(ApiFamily submittedBy) {
        return fixed != null ? fixed : submittedBy;
    }

    public long userId() {
        return userId;
    }
}
