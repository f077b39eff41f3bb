package io.mediaurlingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.aliyuncs.AcsRequest;
import com.aliyuncs.AcsResponse;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import com.aliyuncs.vod.model.v20170321.CancelUrlUploadJobsRequest;
import com.aliyuncs.vod.model.v20170321.CancelUrlUploadJobsResponse;
import com.aliyuncs.vod.model.v20170321.DeleteVideoRequest;
import com.aliyuncs.vod.model.v20170321.DeleteVideoResponse;
import com.aliyuncs.vod.model.v20170321.GetMezzanineInfoRequest;
import com.aliyuncs.vod.model.v20170321.GetMezzanineInfoResponse;
import com.aliyuncs.vod.model.v20170321.GetURLUploadInfosRequest;
import com.aliyuncs.vod.model.v20170321.GetURLUploadInfosResponse;
import com.aliyuncs.vod.model.v20170321.GetVideoInfoRequest;
import com.aliyuncs.vod.model.v20170321.GetVideoInfoResponse;
import com.aliyuncs.vod.model.v20170321.GetVideoInfosRequest;
import com.aliyuncs.vod.model.v20170321.GetVideoInfosResponse;
import com.aliyuncs.vod.model.v20170321.GetVideoListRequest;
import com.aliyuncs.vod.model.v20170321.GetVideoListResponse;
import com.aliyuncs.vod.model.v20170321.UpdateVideoInfoRequest;
import com.aliyuncs.vod.model.v20170321.UploadMediaByURLRequest;
import com.aliyuncs.vod.model.v20170321.UploadMediaByURLResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.callback.CallbackSigner;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.LoopbackHttpServer.Received;
import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official ApsaraVideo VOD SDK (com.aliyun:aliyun-java-sdk-vod 2.16.22 on
 * aliyun-java-sdk-core 4.7.10), unchanged, pointed at the running service with AccessKeys
 * configured: it submits, queries, cancels, reads, updates and deletes videos, and its
 * callbacks come VOD-shaped and VOD-signed.
 */
class VodSdkTest {

    static final String ADMIN_ID = "LTAIvodadmin01";
    static final String ADMIN_SECRET = "vod-admin-secret-01";
    static final String AUTH_KEY = "vod-callback-key";

    @TempDir
    static Path dataDir;
    static LoopbackHttpServer sources;
    static LoopbackHttpServer receiver;
    static RunningService service;
    static String endpoint;
    static byte[] clip;

    @BeforeAll
    static void start() throws Exception {
        clip = Fixtures.media("sample.mp4");
        sources = new LoopbackHttpServer()
                .serve("/v/one.mp4", "video/mp4", clip)
                .serve("/v/two.mp4", "video/mp4", clip)
                .serve("/v/session.mp4", "video/mp4", clip)
                .serveChunkedSlowly("/v/slow.mp4", "video/mp4", Fixtures.mp4OfSize(4 << 20, 7), 200)
                .serveChunkedSlowly("/v/slow2.mp4", "video/mp4", Fixtures.mp4OfSize(4 << 20, 8), 200);
        receiver = new LoopbackHttpServer();
        Path keysFile = dataDir.resolve("keys.json");
        Files.writeString(keysFile, """
                {"AccessKeys": [
                  {"AccessKeyId": "LTAIvodreader", "AccessKeySecret": "vod-reader-secret", "Actions": ["vod:Get*"]},
                  {"AccessKeyId": "LTAIiceonly", "AccessKeySecret": "ice-only-secret", "Actions": ["ice:*"]}
                ]}
                """);
        Map<String, String> settings = new HashMap<>(RunningService.loopbackAllowed());
        settings.put("ingest.auth.access-key-id", ADMIN_ID);
        settings.put("ingest.auth.access-key-secret", ADMIN_SECRET);
        settings.put("ingest.auth.keys-file", keysFile.toString());
        settings.put("ingest.callback.auth-key", AUTH_KEY);
        service = RunningService.start(dataDir.resolve("data"), settings);
        endpoint = URI.create(service.baseUrl()).getAuthority();
    }

    @AfterAll
    static void stop() {
        service.close();
        sources.close();
        receiver.close();
    }

    static DefaultAcsClient client(String id, String secret) {
        return new DefaultAcsClient(DefaultProfile.getProfile("cn-shanghai", id, secret));
    }

    static final DefaultAcsClient ADMIN = client(ADMIN_ID, ADMIN_SECRET);

    /** A request sent to the service on loopback over HTTP, as an SDK user points it at another endpoint. */
    static <T extends AcsResponse> T call(DefaultAcsClient client, AcsRequest<T> request) throws ClientException {
        request.setSysProtocol(ProtocolType.HTTP);
        request.setSysEndpoint(endpoint);
        return client.getAcsResponse(request);
    }

    static String callbackData(String extend) {
        return "{\"MessageCallback\":{\"CallbackURL\":\"" + receiver.url("/vod") + "\"},\"Extend\":" + extend + "}";
    }

    static GetURLUploadInfosResponse.UrlUploadJobInfoDTO awaitEnd(String jobId) {
        GetURLUploadInfosResponse.UrlUploadJobInfoDTO[] last = new GetURLUploadInfosResponse.UrlUploadJobInfoDTO[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            GetURLUploadInfosRequest query = new GetURLUploadInfosRequest();
            query.setJobIds(jobId);
            last[0] = call(ADMIN, query).getURLUploadInfoList().get(0);
            return List.of("SUCCESS", "FAIL", "CANCELED").contains(last[0].getStatus());
        });
        return last[0];
    }

    static Received eventOf(String jobId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().stream()
                .anyMatch(r -> r.event().path("JobId").asText().equals(jobId)));
        return receiver.received().stream().filter(r -> r.event().path("JobId").asText().equals(jobId)).findFirst()
                .orElseThrow();
    }

    @Test
    void theVodSdkSubmitsQueriesReadsUpdatesAndDeletesVideos() throws Exception {
        String one = sources.url("/v/one.mp4");
        String two = sources.url("/v/two.mp4");
        UploadMediaByURLRequest submit = new UploadMediaByURLRequest();
        submit.setUploadURLs(RunningService.encode(one) + "," + RunningService.encode(two));
        submit.setUploadMetadatas("[{\"SourceURL\":\"" + one + "\",\"Title\":\"First clip\",\"CateId\":42,\"Tags\":\"a,b\"},"
                + "{\"SourceURL\":\"" + two + "\",\"Description\":\"no title given\"}]");
        submit.setTemplateGroupId("VOD_NO_TRANSCODE");
        submit.setUserData(callbackData("{\"batch\":\"vod-1\"}"));

        UploadMediaByURLResponse submitted = call(ADMIN, submit);

        assertThat(submitted.getRequestId()).isNotBlank();
        assertThat(submitted.getUploadJobs()).extracting(UploadMediaByURLResponse.UploadJob::getSourceURL)
                .containsExactly(one, two);
        List<String> videoIds = new ArrayList<>();
        for (UploadMediaByURLResponse.UploadJob job : submitted.getUploadJobs()) {
            GetURLUploadInfosResponse.UrlUploadJobInfoDTO info = awaitEnd(job.getJobId());
            assertThat(info.getStatus()).isEqualTo("SUCCESS");
            assertThat(info.getFileSize()).isEqualTo(String.valueOf(clip.length));
            assertThat(info.getUploadURL()).isEqualTo(job.getSourceURL());
            assertThat(info.getMediaId()).isNotBlank();
            videoIds.add(info.getMediaId());
        }

        // GetVideoInfo: the metadata given, the probed duration, the stored size
        GetVideoInfoRequest get = new GetVideoInfoRequest();
        get.setVideoId(videoIds.get(0));
        GetVideoInfoResponse.Video video = call(ADMIN, get).getVideo();
        assertThat(video.getVideoId()).isEqualTo(videoIds.get(0));
        assertThat(video.getTitle()).isEqualTo("First clip");
        assertThat(video.getCateId()).isEqualTo(42L);
        assertThat(video.getTags()).isEqualTo("a,b");
        assertThat(video.getStatus()).isEqualTo("Normal");
        assertThat(video.getSize()).isEqualTo(clip.length);
        assertThat(video.getDuration()).isGreaterThan(0f);
        assertThat(video.getCreationTime()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        get.setVideoId(videoIds.get(1));
        assertThat(call(ADMIN, get).getVideo().getTitle()).as("VOD titles a video by its file name").isEqualTo("two");

        // GetVideoInfos: found ones and the ones that do not exist
        GetVideoInfosRequest several = new GetVideoInfosRequest();
        several.setVideoIds(videoIds.get(0) + "," + videoIds.get(1) + ",nosuchvideo0000000000000000000000");
        GetVideoInfosResponse infos = call(ADMIN, several);
        assertThat(infos.getVideoList()).extracting(GetVideoInfosResponse.Video::getVideoId)
                .containsExactlyInAnyOrderElementsOf(videoIds);
        assertThat(infos.getNonExistVideoIds()).containsExactly("nosuchvideo0000000000000000000000");

        // GetVideoList: pages of the library, newest first
        GetVideoListRequest list = new GetVideoListRequest();
        list.setPageSize(1);
        list.setPageNo(1);
        GetVideoListResponse page1 = call(ADMIN, list);
        list.setPageNo(2);
        GetVideoListResponse page2 = call(ADMIN, list);
        assertThat(page1.getTotal()).isGreaterThanOrEqualTo(2);
        assertThat(page1.getVideoList()).hasSize(1);
        assertThat(page2.getVideoList()).hasSize(1);
        assertThat(page1.getVideoList().get(0).getVideoId()).isNotEqualTo(page2.getVideoList().get(0).getVideoId());
        list.setPageNo(1);
        list.setPageSize(100);
        list.setCateId(42L);
        assertThat(call(ADMIN, list).getVideoList()).extracting(GetVideoListResponse.Video::getVideoId)
                .containsExactly(videoIds.get(0));

        // GetMezzanineInfo: a presigned FileURL that downloads the very bytes, and the probe figures
        GetMezzanineInfoRequest mezzanine = new GetMezzanineInfoRequest();
        mezzanine.setVideoId(videoIds.get(0));
        mezzanine.setAuthTimeout(600L);
        GetMezzanineInfoResponse.Mezzanine file = call(ADMIN, mezzanine).getMezzanine();
        assertThat(service.download(file.getFileURL())).isEqualTo(clip);
        assertThat(file.getSize()).isEqualTo(clip.length);
        assertThat(file.getVideoStreamList()).isNotEmpty();
        assertThat(file.getVideoStreamList().get(0).getCodecName()).isNotBlank();
        assertThat(Double.parseDouble(file.getDuration())).isGreaterThan(0);

        // UpdateVideoInfo, then DeleteVideo: the video is gone with its file
        UpdateVideoInfoRequest update = new UpdateVideoInfoRequest();
        update.setVideoId(videoIds.get(0));
        update.setTitle("Renamed");
        update.setTags("c");
        call(ADMIN, update);
        get.setVideoId(videoIds.get(0));
        assertThat(call(ADMIN, get).getVideo().getTitle()).isEqualTo("Renamed");
        assertThat(call(ADMIN, get).getVideo().getTags()).isEqualTo("c");
        DeleteVideoRequest delete = new DeleteVideoRequest();
        delete.setVideoIds(videoIds.get(0) + ",nosuchvideo0000000000000000000001");
        DeleteVideoResponse deleted = call(ADMIN, delete);
        assertThat(deleted.getNonExistVideoIds()).containsExactly("nosuchvideo0000000000000000000001");
        ClientException gone = catchThrowableOfType(ClientException.class, () -> call(ADMIN, get));
        assertThat(gone.getErrCode()).isEqualTo("InvalidVideo.NotFound");
        assertThat(catchThrowableOfType(java.io.IOException.class, () -> service.download(file.getFileURL())))
                .as("the deleted video's file").hasMessageContaining("answered 404");

        // each job's callback in VOD's flat shape, signed by VOD's rule
        for (UploadMediaByURLResponse.UploadJob job : submitted.getUploadJobs()) {
            Received delivery = eventOf(job.getJobId());
            JsonNode event = delivery.event();
            assertThat(event.path("EventType").asText()).isEqualTo("UploadByURLComplete");
            assertThat(event.path("Status").asText()).isEqualTo("success");
            assertThat(event.path("VideoId").asText()).isIn(videoIds);
            assertThat(event.path("SourceURL").asText()).isEqualTo(job.getSourceURL());
            assertThat(event.path("Size").isTextual()).as(event.toString()).isTrue();
            assertThat(event.path("Size").asText()).isEqualTo(String.valueOf(clip.length));
            assertThat(event.path("Extend").path("batch").asText()).isEqualTo("vod-1");
            assertThat(event.has("MessageBody")).isFalse();
            assertThat(event.has("MediaId")).isFalse();
            assertThat(delivery.header("X-VOD-SIGNATURE")).isEqualTo(CallbackSigner.urlSignature(receiver.url("/vod"),
                    delivery.header("X-VOD-TIMESTAMP"), AUTH_KEY));
            assertThat(delivery.header("X-ICE-SIGNATURE")).isNull();
        }
    }

    @Test
    void aSessionIdUsedWithinTenMinutesSubmitsNothingTheSecondTime() throws Exception {
        String url = sources.url("/v/session.mp4");
        UploadMediaByURLRequest submit = new UploadMediaByURLRequest();
        submit.setUploadURLs(RunningService.encode(url));
        submit.setSessionId("session-" + System.nanoTime());
        String jobId = call(ADMIN, submit).getUploadJobs().get(0).getJobId();

        ClientException repeated = catchThrowableOfType(ClientException.class, () -> call(ADMIN, submit));

        assertThat(repeated.getErrCode()).isEqualTo("InvalidParameter.SessionIdUsed");
        GetURLUploadInfosRequest byUrl = new GetURLUploadInfosRequest();
        byUrl.setUploadURLs(RunningService.encode(url));
        assertThat(call(ADMIN, byUrl).getURLUploadInfoList()).extracting(GetURLUploadInfosResponse.UrlUploadJobInfoDTO::getJobId)
                .containsExactly(jobId);
        submit.setSessionId("bad session id!");
        assertThat(catchThrowableOfType(ClientException.class, () -> call(ADMIN, submit)).getErrCode())
                .isEqualTo("InvalidParameter");
    }

    @Test
    void anUploadingVideoReadsAsUploadingAndACancelEndsItWithAVodFailEvent() throws Exception {
        UploadMediaByURLRequest submit = new UploadMediaByURLRequest();
        submit.setUploadURLs(RunningService.encode(sources.url("/v/slow.mp4")));
        submit.setUserData(callbackData("\"slow\""));
        UploadMediaByURLResponse.UploadJob job = call(ADMIN, submit).getUploadJobs().get(0);
        GetURLUploadInfosRequest query = new GetURLUploadInfosRequest();
        query.setJobIds(job.getJobId());
        String videoId = call(ADMIN, query).getURLUploadInfoList().get(0).getMediaId();

        GetVideoInfoRequest get = new GetVideoInfoRequest();
        get.setVideoId(videoId);
        GetVideoInfoResponse.Video uploading = call(client("LTAIvodreader", "vod-reader-secret"), get).getVideo();
        assertThat(uploading.getStatus()).isEqualTo("Uploading");
        assertThat(uploading.getTitle()).isEqualTo("slow");

        CancelUrlUploadJobsRequest cancel = new CancelUrlUploadJobsRequest();
        cancel.setJobIds(job.getJobId() + ",nosuchjob");
        CancelUrlUploadJobsResponse canceled = call(ADMIN, cancel);

        assertThat(canceled.getCanceledJobs()).containsExactly(job.getJobId());
        assertThat(canceled.getNonExists()).containsExactly("nosuchjob");
        assertThat(awaitEnd(job.getJobId()).getStatus()).isEqualTo("CANCELED");
        assertThat(call(ADMIN, get).getVideo().getStatus()).isEqualTo("UploadFail");
        JsonNode event = eventOf(job.getJobId()).event();
        assertThat(event.path("Status").asText()).isEqualTo("fail");
        assertThat(event.path("ErrorCode").asText()).isEqualTo("Canceled");
        assertThat(event.path("VideoId").asText()).isEqualTo(videoId);
        assertThat(event.path("Extend").asText()).isEqualTo("slow");

        // VOD's cancel by URL: its parameter is spelled UploadUrls
        String slow2 = sources.url("/v/slow2.mp4");
        submit.setUploadURLs(RunningService.encode(slow2));
        String second = call(ADMIN, submit).getUploadJobs().get(0).getJobId();
        CancelUrlUploadJobsRequest byUrl = new CancelUrlUploadJobsRequest();
        byUrl.setUploadUrls(RunningService.encode(slow2));
        assertThat(call(ADMIN, byUrl).getCanceledJobs()).containsExactly(second);
        assertThat(awaitEnd(second).getStatus()).isEqualTo("CANCELED");
    }

    @Test
    void wrongSecretsAndKeysWithoutVodActionsAreRefused() {
        GetVideoInfoRequest get = new GetVideoInfoRequest();
        get.setVideoId("nosuchvideo0000000000000000000002");

        ClientException wrongSecret = catchThrowableOfType(ClientException.class,
                () -> call(client(ADMIN_ID, "not-the-secret"), get));
        ClientException unknownKey = catchThrowableOfType(ClientException.class,
                () -> call(client("LTAInobody", "whatever"), get));
        ClientException iceOnly = catchThrowableOfType(ClientException.class,
                () -> call(client("LTAIiceonly", "ice-only-secret"), get));
        UploadMediaByURLRequest submit = new UploadMediaByURLRequest();
        submit.setUploadURLs(RunningService.encode(sources.url("/v/one.mp4")));
        ClientException readerSubmits = catchThrowableOfType(ClientException.class,
                () -> call(client("LTAIvodreader", "vod-reader-secret"), submit));
        ClientException readerReads = catchThrowableOfType(ClientException.class,
                () -> call(client("LTAIvodreader", "vod-reader-secret"), get));

        assertThat(wrongSecret.getErrCode()).isEqualTo("SignatureDoesNotMatch");
        assertThat(unknownKey.getErrCode()).isEqualTo("InvalidAccessKeyId.NotFound");
        assertThat(iceOnly.getErrCode()).isEqualTo("Forbidden.RAM");
        assertThat(iceOnly.getErrMsg()).contains("vod:GetVideoInfo");
        assertThat(readerSubmits.getErrCode()).isEqualTo("Forbidden.RAM");
        assertThat(readerReads.getErrCode()).as("signed and allowed: the video is simply not there")
                .isEqualTo("InvalidVideo.NotFound");
    }
}
