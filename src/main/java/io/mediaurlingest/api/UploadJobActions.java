package io.mediaurlingest.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mediaurlingest.Headers;
import io.mediaurlingest.Ids;
import io.mediaurlingest.job.JobLifecycle;
import io.mediaurlingest.job.JobRepository;
import io.mediaurlingest.job.JobStatus;
import io.mediaurlingest.job.UploadJob;
import org.apache.camel.Exchange;

/** GetUrlUploadInfos and CancelUrlUploadJobs: the jobs of given JobIds or UploadURLs. */
public final class UploadJobActions {

    /** Header carrying the ids of events written by a cancel, for the route to send. */

    static final int MAX_IDS = 10;

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
            @JsonProperty("SegmentsTotal") Integer segmentsTotal) {

        static UrlUploadInfo of(UploadJob job) {
            boolean running = job.status() == JobStatus.PROCESSING;
            return new UrlUploadInfo(job.jobId(), job.sourceUrl(), job.mediaId(), job.status().name(),
                    job.fileSize() == null ? null : String.valueOf(job.fileSize()), job.errorCode(), job.errorMessage(),
                    Ids.iso(job.createdAt()), Ids.iso(job.completedAt()), job.userData(),
                    running ? job.bytesDone() : null, running ? job.fileSize() : null, running ? job.waitingFor() : null,
                    running ? job.segmentsDone() : null, running ? job.segmentsTotal() : null);
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
