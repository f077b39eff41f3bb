package io.mediaurlingest.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mediaurlingest.Ids;
import io.mediaurlingest.job.JobRepository;
import io.mediaurlingest.job.JobStatus;
import io.mediaurlingest.job.UploadJob;

/** GetUrlUploadInfos: the jobs of given JobIds or UploadURLs. */
public final class JobQueries {

    private final JobRepository jobs;

    public JobQueries(JobRepository jobs) {
        this.jobs = jobs;
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
            @JsonProperty("BytesTotal") Long bytesTotal) {

        static UrlUploadInfo of(UploadJob job) {
            boolean running = job.status() == JobStatus.PROCESSING;
            return new UrlUploadInfo(job.jobId(), job.sourceUrl(), job.mediaId(), job.status().name(),
                    job.fileSize() == null ? null : String.valueOf(job.fileSize()), job.errorCode(), job.errorMessage(),
                    Ids.iso(job.createdAt()), Ids.iso(job.completedAt()), job.userData(),
                    running ? job.bytesDone() : null, running ? job.fileSize() : null);
        }
    }

    public record Reply(@JsonProperty("URLUploadInfoList") List<UrlUploadInfo> infos,
            @JsonProperty("NonExists") List<String> nonExists) {
    }

    public Reply getUrlUploadInfos(RpcRequest request) {
        var jobIds = request.optional("JobIds");
        if (jobIds.isPresent()) {
            Set<String> ids = list(jobIds.get());
            List<UploadJob> found = jobs.findByIds(ids);
            List<String> missing = new ArrayList<>(ids);
            found.forEach(j -> missing.remove(j.jobId()));
            return new Reply(found.stream().map(UrlUploadInfo::of).toList(), missing);
        }
        var urls = request.optional("UploadURLs");
        if (urls.isPresent()) {
            Set<String> wanted = new LinkedHashSet<>(UploadMediaByUrl.sourceUrls(urls.get()));
            List<UploadJob> found = jobs.findByUrls(wanted);
            List<String> missing = new ArrayList<>(wanted);
            found.forEach(j -> missing.remove(j.sourceUrl()));
            return new Reply(found.stream().map(UrlUploadInfo::of).toList(), missing);
        }
        throw ApiException.missing("JobIds or UploadURLs");
    }

    static Set<String> list(String commaSeparated) {
        Set<String> values = new LinkedHashSet<>();
        Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(values::add);
        return values;
    }
}
