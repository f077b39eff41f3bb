package io.mediaurlingest;

/**
 * Every header and exchange property the flows and the beans share. The YAML flows under
 * routes/ write the same names as literals: rename one here and there together.
 */
public final class Headers {

    // ------------------------------------------------------------ API (routes/api.camel.yaml)
    /** Header: the Action the API route dispatches on. */
    public static final String ACTION = "IceAction";
    /** Header: the API family (ICE or VOD) the call's Version names; the route dispatches on it first. */
    public static final String API_FAMILY = "ApiFamily";
    /** Property: the RequestId of the call's reply. */
    public static final String REQUEST_ID = "RequestId";
    /** Header: the ids of the jobs a submit created, one queue message each. */
    public static final String JOB_IDS = "IngestJobIds";
    /** Header: the ids of events to send now (cancels, retries). */
    public static final String EVENT_IDS = "IngestEventIds";

    // ------------------------------------------------------------ ingest (routes/ingest.camel.yaml)
    /** Header: how claiming the job went: claimed, waiting or skip. */
    public static final String CLAIM = "IngestClaim";
    /** Property: the IngestWork of the claimed job. */
    public static final String WORK = "IngestWork";
    /** Header: a job parked for its source host that may now run: it goes back on the queue. */
    public static final String REQUEUE_JOB_ID = "IngestRequeueJobId";

    // ------------------------------------------------------------ workflows (routes/workflows.camel.yaml)
    /** Header: the job an ingest exchange runs (set when it is claimed; camel-mdc logs it). */
    public static final String JOB_ID = "JobId";
    /** Header: the media a workflow runs on (and the media of a claimed job). */
    public static final String MEDIA_ID = "MediaId";
    /** Header: the workflow to run; its route is direct:workflow-{WorkflowId}. */
    public static final String WORKFLOW_ID = "WorkflowId";
    /** Property: the WorkflowRequest being run. */
    public static final String WORKFLOW_REQUEST = "WorkflowRequest";
    /** Headers: the storage location (its client is the bean s3-{location}) and bucket an object is read from. */
    public static final String SOURCE_LOCATION = "SourceLocation";
    public static final String SOURCE_BUCKET = "SourceBucket";
    /** Headers: the storage location and bucket an object is written to. */
    public static final String TARGET_LOCATION = "TargetLocation";
    public static final String TARGET_BUCKET = "TargetBucket";

    // ------------------------------------------------------------ callbacks (routes/callbacks.camel.yaml)
    /** Header: the event an operator's endpoint receives (ingest.callback.endpoint). */
    public static final String EVENT_ID = "EventId";
    /** Property: the event a delivery attempt is for. */
    public static final String CALLBACK_EVENT_ID = "CallbackEventId";
    /** Property: the receiver URL of a delivery attempt. */
    public static final String CALLBACK_TARGET = "CallbackTarget";

    private Headers() {
    }
}
