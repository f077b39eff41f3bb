package io.mediaurlingest.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.Headers;
import io.mediaurlingest.Ids;
import io.mediaurlingest.Json;
import io.mediaurlingest.job.JobLifecycle;
import io.mediaurlingest.job.JobRepository;
import io.mediaurlingest.job.JobStatus;
import io.mediaurlingest.job.UploadJob;
import org.apache.camel.Exchange;

/**
 * GetUrlUploadInfos and CancelUrlUploadJobs: the jobs of given JobIds or UploadURLs; and, beyond
 * ICE, ListUrlUploadJobs and RetryUrlUploadJobs, which the console needs.
 */
public final class UploadJobActions {

    /** Header carrying the ids of events written by a cancel, for the route to send. */

    static final int MAX_IDS = 10;
    static final int MAX_LISTED = 100;
    static final int MAX_RETRIED = 100;

    private final JobRepository jobs;
    private final JobLifecycle lifecycle;

    public UploadJobActions(JobRepository jobs, JobLifecycle lifecycle) {
        this.jobs = jobs;
        this.lifecycle = lifecycle;
    }

    public record UrlUploadInfo(
            @JsonProperty("JobId") String jobId,
            @JsonProperty("UploadURL") String uploadUrl,
            @JsonProperty("MediaId") String mediaId,
            @JsonProperty("Status") String status,
            @JsonProperty("FileSize") String fileSize,
            @JsonProperty("ErrorCode") String errorCode,
            @JsonProperty("ErrorMessage") String errorMessage,
            @JsonProperty("CreationTime") String creationTime,
            @JsonProperty("CompleteTime") String completeTime,
            @JsonProperty("UserData") String userData,
            @JsonProperty("BytesDone") Long bytesDone,
            @JsonProperty("BytesTotal") Long bytesTotal,
            @JsonProperty("WaitingFor") String waitingFor,
            @JsonProperty("SegmentsDone") Integer segmentsDone,
            @JsonProperty("SegmentsTotal") Integer segmentsTotal,
            @JsonProperty("NodeId") String nodeId) {

        static UrlUploadInfo of(UploadJob job) {
            boolean running = job.status() == JobStatus.PROCESSING;
            return new UrlUploadInfo(job.jobId(), job.sourceUrl(), job.mediaId(), job.status().name(),
                    job.fileSize() == null ? null : String.valueOf(job.fileSize()), job.errorCode(), job.errorMessage(),
                    Ids.iso(job.createdAt()), Ids.iso(job.completedAt()), job.userData(),
                    running ? job.bytesDone() : null, running ? job.fileSize() : null, running ? job.waitingFor() : null,
                    running ? job.segmentsDone() : null, running ? job.segmentsTotal() : null, job.nodeId());
        }
    }

    public record InfosReply(@JsonProperty("URLUploadInfoList") List<UrlUploadInfo> infos,
            @JsonProperty("NonExists") List<String> nonExists) {
    }

    public record CancelReply(@JsonProperty("CanceledJobs") List<String> canceledJobs,
            @JsonProperty("IgnoredJobs") List<String> ignoredJobs,
            @JsonProperty("NonExists") List<String> nonExists) {
    }

    /** The jobs a call names, and what it named that does not exist. */
    private record Selection(List<UploadJob> found, List<String> nonExists) {
    }

    public record ListReply(@JsonProperty("Jobs") List<JsonNode> jobs,
            @JsonProperty("NextToken") String nextToken, @JsonProperty("MaxResults") int maxResults,
            @JsonProperty("StatusCounts") Map<String, Long> statusCounts) {
    }

    public record RetryReply(@JsonProperty("RetriedJobs") List<String> retriedJobs,
            @JsonProperty("IgnoredJobs") List<String> ignoredJobs, @JsonProperty("NonExists") List<String> nonExists) {
    }

    /**
     * ListUrlUploadJobs: newest first, keyset-paged, filtered by Status (comma-separated),
     * ErrorCode, AppId, StartTime/EndTime (creation), SourceURLPrefix and JobId; each item is
     * GetUrlUploadInfos' with the job's parameters; StatusCounts counts the filter's jobs by status
     * (Status itself left out, so the counts show what the other statuses hold).
     */
    public ListReply listUrlUploadJobs(RpcRequest request) {
        int max = request.optional("MaxResults").map(v -> MediaActions.parseInt("MaxResults", v)).orElse(20);
        if (max < 1 || max > MAX_LISTED) {
            throw ApiException.invalid("MaxResults must be between 1 and " + MAX_LISTED + ".");
        }
        List<JobStatus> statuses = request.optional("Status").map(text -> MetadataRules.split(text).stream().map(s -> {
            try {
                return JobStatus.valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("Status must be PENDING, PROCESSING, SUCCESS, FAIL or CANCELED (comma-separated).");
            }
        }).toList()).orElse(null);
        String appId = request.optional("AppId").orElse(null);
        if (request.appScope() != null) {
            if (appId != null && !appId.equals(request.appScope())) {
                throw new ApiException(ErrorCode.FORBIDDEN,
                        "This AccessKey may only use the AppId " + request.appScope() + ".");
            }
            appId = request.appScope();
        }
        JobRepository.Filter filter = new JobRepository.Filter(statuses, request.optional("ErrorCode").orElse(null), appId,
                request.optional("StartTime").map(t -> MediaActions.time("StartTime", t)).orElse(null),
                request.optional("EndTime").map(t -> MediaActions.time("EndTime", t)).orElse(null),
                request.optional("SourceURLPrefix").orElse(null), request.optional("JobId").orElse(null));
        PageToken after = PageToken.of(request).orElse(null);
        List<UploadJob> page = jobs.list(filter, after == null ? null : after.createdAt(), after == null ? null : after.id(),
                max + 1);
        String next = null;
        if (page.size() > max) {
            page = page.subList(0, max);
            UploadJob last = page.get(max - 1);
            next = new PageToken(last.createdAt(), last.jobId()).encode();
        }
        List<JsonNode> items = page.stream().map(UploadJobActions::item).toList();
        return new ListReply(items, next, max, jobs.countByStatus(filter.withoutStatuses()));
    }

    /** A job as the console shows it: GetUrlUploadInfos' fields and the job's parameters (never its SourceHeaders). */
    private static JsonNode item(UploadJob job) {
        ObjectNode node = Json.MAPPER.valueToTree(UrlUploadInfo.of(job));
        node.put("Attempts", job.attempts());
        putIfPresent(node, "AppId", job.appId());
        putIfPresent(node, "StorageLocation", job.storageLocation());
        putIfPresent(node, "MediaMetaData", job.mediaMeta());
        putIfPresent(node, "PostProcessConfig", job.postProcess());
        node.put("ApiFamily", job.apiFamily().name());
        return node;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    /**
     * RetryUrlUploadJobs: FAIL and CANCELED jobs go back to PENDING with their parameters and a
     * fresh count of attempts; the header IngestJobIds names them for the route to queue.
     */
    public RetryReply retry(RpcRequest request, Exchange exchange) {
        List<String> ids = MetadataRules.split(request.required("JobIds"));
        if (ids.size() > MAX_RETRIED) {
            throw ApiException.invalid("JobIds holds " + ids.size() + " values; at most " + MAX_RETRIED + " are allowed.");
        }
        List<UploadJob> found = visible(request, jobs.findByIds(new LinkedHashSet<>(ids)));
        List<String> missing = new ArrayList<>(ids);
        found.forEach(j -> missing.remove(j.jobId()));
        List<String> retried = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (UploadJob job : found) {
            (jobs.retry(job.jobId()) ? retried : ignored).add(job.jobId());
        }
        exchange.getMessage().setHeader(Headers.JOB_IDS, retried);
        return new RetryReply(retried, ignored, missing);
    }

    public InfosReply getUrlUploadInfos(RpcRequest request) {
        Selection selection = select(request);
        return new InfosReply(selection.found().stream().map(UrlUploadInfo::of).toList(), selection.nonExists());
    }

    /**
     * Cancels the PENDING and PROCESSING jobs a call names (JobLifecycle.cancel ends each with
     * its event); the header IngestEventIds names the events for the flow to send.
     */
    public CancelReply cancel(RpcRequest request, Exchange exchange) {
        Selection selection = select(request);
        List<String> canceled = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        List<String> eventIds = new ArrayList<>();
        for (UploadJob job : selection.found()) {
            String eventId = job.status().isFinished() ? null : lifecycle.cancel(job);
            if (eventId == null) {
                ignored.add(job.jobId()); // finished, also meanwhile
            } else {
                canceled.add(job.jobId());
                eventIds.add(eventId);
            }
        }
        exchange.getMessage().setHeader(Headers.EVENT_IDS, eventIds);
        return new CancelReply(canceled, ignored, selection.nonExists());
    }

    private Selection select(RpcRequest request) {
        var jobIds = request.optional("JobIds");
        if (jobIds.isPresent()) {
            Set<String> ids = list(jobIds.get(), "JobIds");
            List<UploadJob> found = visible(request, jobs.findByIds(ids));
            List<String> missing = new ArrayList<>(ids);
            found.forEach(j -> missing.remove(j.jobId()));
            return new Selection(found, missing);
        }
        // VOD's CancelUrlUploadJobs spells it UploadUrls
        var urls = request.optional("UploadURLs").or(() -> request.optional("UploadUrls"));
        if (urls.isPresent()) {
            Set<String> wanted = new LinkedHashSet<>(UploadMediaByUrl.sourceUrls(urls.get()));
            if (wanted.size() > MAX_IDS) {
                throw ApiException.invalid("UploadURLs holds " + wanted.size() + " URLs; at most " + MAX_IDS + " are allowed.");
            }
            List<UploadJob> found = visible(request, jobs.findByUrls(wanted));
            List<String> missing = new ArrayList<>(wanted);
            found.forEach(j -> missing.remove(j.sourceUrl()));
            return new Selection(found, missing);
        }
        throw ApiException.missing("JobIds or UploadURLs");
    }

    /** Jobs of other AppIds do not exist for a caller bound to an AppId. */
    private static List<UploadJob> visible(RpcRequest request, List<UploadJob> jobs) {
        return jobs.stream().filter(j -> request.canSee(j.appId())).toList();
    }

    static Set<String> list(String commaSeparated, String parameter) {
        Set<String> values = new LinkedHashSet<>();
        Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(values::add);
        if (values.size() > MAX_IDS) {
            throw ApiException.invalid(parameter + " holds " + values.size() + " values; at most " + MAX_IDS + " are allowed.");
        }
        return values;
    }
}
