package io.mediaurlingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import com.aliyun.ice20201109.Client;
import com.aliyun.ice20201109.models.DeleteMediaInfosRequest;
import com.aliyun.ice20201109.models.GetMediaInfoRequest;
import com.aliyun.ice20201109.models.GetMediaInfoResponseBody;
import com.aliyun.ice20201109.models.GetUrlUploadInfosResponseBody;
import com.aliyun.ice20201109.models.UploadMediaByURLResponseBody;
import com.aliyun.tea.TeaModel;
import com.aliyun.ice20201109.models.GetUrlUploadInfosRequest;
import com.aliyun.ice20201109.models.ListMediaBasicInfosRequest;
import com.aliyun.ice20201109.models.RegisterMediaInfoRequest;
import com.aliyun.ice20201109.models.UpdateMediaInfoRequest;
import com.aliyun.ice20201109.models.UploadMediaByURLRequest;
import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Json;
import io.mediaurlingest.store.StorageLocation;
import io.mediaurlingest.store.StorageLocations;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The official ICE SDK (com.aliyun:ice20201109:2.3.0), unchanged, pointed at the running
 * service with AccessKeys configured: both signature generations, every action, and each
 * refusal with Alibaba Cloud's code.
 */
class OfficialSdkTest {

    static final String ADMIN_ID = "LTAIadmin0001";
    static final String ADMIN_SECRET = "admin-secret-0001";

    @TempDir
    static Path dataDir;
    static LoopbackHttpServer sources;
    static RunningService service;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        sources = new LoopbackHttpServer().serve("/v/clip.mp4", "video/mp4", Fixtures.media("sample.mp4"));
        Path keysFile = dataDir.resolve("keys.json");
        Files.writeString(keysFile, """
                {"AccessKeys": [
                  {"AccessKeyId": "LTAIreader", "AccessKeySecret": "reader-secret", "Actions": ["ice:Get*", "ice:List*"]},
                  {"AccessKeyId": "LTAIteamA", "AccessKeySecret": "team-a-secret", "Actions": ["ice:*"], "AppId": "app-a"}
                ]}
                """);
        Map<String, String> settings = new HashMap<>(RunningService.loopbackAllowed());
        settings.put("ingest.auth.access-key-id", ADMIN_ID);
        settings.put("ingest.auth.access-key-secret", ADMIN_SECRET);
        settings.put("ingest.auth.keys-file", keysFile.toString());
        service = RunningService.start(dataDir.resolve("data"), settings);
        port = URI.create(service.baseUrl()).getPort();
    }

    @AfterAll
    static void stop() {
        service.close();
        sources.close();
    }

    static Client client(String id, String secret) throws Exception {
        return service.iceClient(id, secret);
    }

    /**
     * A call signed ACS3-HMAC-SHA256 by the SDK's own signer (openapiutil's getAuthorization:
     * Authorization header over x-acs-* headers, query and hashed payload), as newer SDK
     * generations send every call. (This SDK build's doRequest path fails before sending.)
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> acs3(String accessKeyId, String secret, String action, Map<String, String> query)
            throws Exception {
        HttpResponse<String> response = acs3Send(accessKeyId, secret, action, query, java.util.Set.of());
        Map<String, Object> body = Json.MAPPER.readValue(response.body(), Map.class);
        if (response.statusCode() != 200) {
            TeaException e = new TeaException(Map.of("code", body.get("Code"), "message", body.get("Message")));
            e.setStatusCode(response.statusCode());
            throw e;
        }
        return body;
    }

    /** An ACS3 call whose listed headers are sent but left out of SignedHeaders ("host" included). */
    static HttpResponse<String> acs3Send(String accessKeyId, String secret, String action, Map<String, String> query,
            java.util.Set<String> unsigned) throws Exception {
        com.aliyun.tea.TeaRequest request = new com.aliyun.tea.TeaRequest();
        request.method = "POST";
        request.pathname = "/";
        request.query = new HashMap<>(query);
        String payloadHash = com.aliyun.openapiutil.Client.hexEncode(
                com.aliyun.openapiutil.Client.hash(new byte[0], "ACS3-HMAC-SHA256"));
        request.headers = new HashMap<>(Map.of("host", "127.0.0.1:" + port, "x-acs-action", action,
                "x-acs-version", "2020-11-09", "x-acs-date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                "x-acs-signature-nonce", UUID.randomUUID().toString(), "x-acs-content-sha256", payloadHash));
        Map<String, String> sent = new HashMap<>(request.headers);
        request.headers.keySet().removeAll(unsigned); // the SDK's signer signs host and every x-acs-* header it is given
        String authorization = com.aliyun.openapiutil.Client.getAuthorization(request, "ACS3-HMAC-SHA256", payloadHash,
                accessKeyId, secret);
        String queryString = query.entrySet().stream()
                .map(e -> RunningService.encode(e.getKey()) + "=" + RunningService.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder http = HttpRequest.newBuilder(URI.create(service.baseUrl() + "?" + queryString))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", authorization);
        sent.forEach((k, v) -> {
            if (!k.equals("host")) {
                http.header(k, v);
            }
        });
        return HttpClient.newHttpClient().send(http.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void acs3MustSignWhatTheCallDoesWhereWhenOnceAndWithWhichBody() throws Exception {
        for (String header : List.of("x-acs-action", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256", "host")) {
            HttpResponse<String> response = acs3Send(ADMIN_ID, ADMIN_SECRET, "GetUrlUploadInfos", Map.of("JobIds", "j1"),
                    java.util.Set.of(header));
            assertThat(response.statusCode()).as(header).isEqualTo(400);
            assertThat(Json.read(response.body()).path("Code").asText()).as(header).isEqualTo("IncompleteSignature");
            assertThat(Json.read(response.body()).path("Message").asText()).as(header).contains(header);
        }
        HttpResponse<String> otherAction = acs3Send(ADMIN_ID, ADMIN_SECRET, "GetUrlUploadInfos",
                Map.of("Action", "DeleteMediaInfos", "MediaIds", "m1"), java.util.Set.of());
        assertThat(Json.read(otherAction.body()).path("Code").asText()).isEqualTo("SignatureDoesNotMatch");
        assertThat(acs3Send(ADMIN_ID, ADMIN_SECRET, "GetUrlUploadInfos", Map.of("JobIds", "j1"), java.util.Set.of())
                .statusCode()).isEqualTo(200);
    }

    /** A nonce is kept as long as its request's own Timestamp is accepted, not 15 minutes from when it was seen. */
    @Test
    void aNonceOutlivesItsRequestsTimestampAndTimestampsFarAheadAreRefused() throws Exception {
        Instant ahead = Instant.now().plus(14, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        String nonce = "nonce-" + UUID.randomUUID();
        assertThat(get(signedV1("GetUrlUploadInfos", Map.of("JobIds", "j1"), ahead, nonce)).status()).isEqualTo(200);

        service.bean("nonceStore", NonceStore.class).purgeExpired();
        java.time.OffsetDateTime kept = service.bean("database", io.mediaurlingest.Database.class).withConnection(c -> {
            try (var ps = c.prepareStatement("SELECT expires_at FROM request_nonce WHERE nonce = ?")) {
                ps.setString(1, ADMIN_ID + ":" + nonce);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getObject(1, java.time.OffsetDateTime.class) : null;
                }
            }
        });
        assertThat(kept).isNotNull();
        assertThat(kept.toInstant()).isAfterOrEqualTo(ahead.plus(15, ChronoUnit.MINUTES));
        assertThat(get(signedV1("GetUrlUploadInfos", Map.of("JobIds", "j1"), ahead, nonce)).body().path("Code").asText())
                .isEqualTo("SignatureNonceUsed");

        RunningService.ApiReply farAhead = get(signedV1("GetUrlUploadInfos", Map.of("JobIds", "j1"),
                Instant.now().plus(16, ChronoUnit.MINUTES), "nonce-" + UUID.randomUUID()));
        assertThat(farAhead.body().path("Code").asText()).isEqualTo("InvalidTimeStamp.Expired");
    }

    @Test
    void acs3HmacSha256IsAcceptedForUploadAndQueries() throws Exception {
        String url = sources.url("/v/clip.mp4");
        Map<String, Object> uploaded = acs3(ADMIN_ID, ADMIN_SECRET, "UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(url)));
        var upload = TeaModel.toModel(uploaded, new UploadMediaByURLResponseBody());
        String jobId = upload.getUploadJobs().get(0).getJobId();
        await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCESS".equals(TeaModel.toModel(
                acs3(ADMIN_ID, ADMIN_SECRET, "GetUrlUploadInfos", Map.of("JobIds", jobId)), new GetUrlUploadInfosResponseBody())
                .getURLUploadInfoList().get(0).getStatus()));
        var media = TeaModel.toModel(acs3(ADMIN_ID, ADMIN_SECRET, "GetMediaInfo",
                Map.of("MediaId", upload.getUploadJobs().get(0).getMediaId())), new GetMediaInfoResponseBody());
        assertThat(media.getMediaInfo().getFileInfoList().get(0).getFileBasicInfo().getFileSize())
                .isEqualTo(String.valueOf(Fixtures.media("sample.mp4").length));

        TeaException wrong = catchThrowableOfType(TeaException.class,
                () -> acs3(ADMIN_ID, "not-the-secret", "GetMediaInfo", Map.of("MediaId", "x")));
        assertThat(wrong.getCode()).isEqualTo("SignatureDoesNotMatch");
        TeaException unknown = catchThrowableOfType(TeaException.class,
                () -> acs3("LTAInobody", "x", "GetMediaInfo", Map.of("MediaId", "x")));
        assertThat(unknown.getCode()).isEqualTo("InvalidAccessKeyId.NotFound");
        TeaException forbidden = catchThrowableOfType(TeaException.class,
                () -> acs3("LTAIreader", "reader-secret", "UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(url))));
        assertThat(forbidden.getCode()).isEqualTo("Forbidden.RAM");
    }

    @Test
    void signatureOneUploadsQueriesCancelsRegistersListsUpdatesAndDeletes() throws Exception {
        runEveryAction(client(ADMIN_ID, ADMIN_SECRET));
    }

    private void runEveryAction(Client sdk) throws Exception {
        String url = sources.url("/v/clip.mp4");
        var uploaded = sdk.uploadMediaByURL(new UploadMediaByURLRequest().setUploadURLs(RunningService.encode(url))
                .setMediaMetaData("[{\"SourceURL\":\"" + url + "\",\"Title\":\"From the SDK\"}]")).getBody();
        assertThat(uploaded.getRequestId()).isNotBlank();
        String jobId = uploaded.getUploadJobs().get(0).getJobId();
        String mediaId = uploaded.getUploadJobs().get(0).getMediaId();

        await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCESS".equals(sdk.getUrlUploadInfos(
                new GetUrlUploadInfosRequest().setJobIds(jobId)).getBody().getURLUploadInfoList().get(0).getStatus()));
        var info = sdk.getUrlUploadInfos(new GetUrlUploadInfosRequest().setJobIds(jobId + ",nope")).getBody();
        assertThat(info.getURLUploadInfoList().get(0).getFileSize()).isEqualTo(String.valueOf(Fixtures.media("sample.mp4").length));
        assertThat(info.getNonExists()).containsExactly("nope");

        var media = sdk.getMediaInfo(new GetMediaInfoRequest().setMediaId(mediaId)).getBody().getMediaInfo();
        assertThat(media.getMediaBasicInfo().getTitle()).isEqualTo("From the SDK");
        String fileUrl = media.getFileInfoList().get(0).getFileBasicInfo().getFileUrl();
        assertThat(Fixtures.sha256(service.download(fileUrl))).isEqualTo(Fixtures.sha256(Fixtures.media("sample.mp4")));

        // CancelUrlUploadJobs is not in this SDK build: its generic callApi signs it all the same
        Map<String, ?> canceled = sdk.callApi(new Params().setAction("CancelUrlUploadJobs").setVersion("2020-11-09")
                        .setProtocol("HTTP").setPathname("/").setMethod("POST").setAuthType("AK").setStyle("RPC")
                        .setReqBodyType("formData").setBodyType("json"),
                new OpenApiRequest().setQuery(Map.of("JobIds", jobId)), new RuntimeOptions());
        @SuppressWarnings("unchecked")
        Map<String, Object> cancelBody = (Map<String, Object>) canceled.get("body");
        assertThat(cancelBody.get("IgnoredJobs")).asList().containsExactly(jobId);

        StorageLocation store = service.bean("storageLocations", StorageLocations.class).defaultLocation();
        String key = "sdk/" + UUID.randomUUID() + ".mp3";
        store.s3().putObject(b -> b.bucket(store.bucket()).key(key), RequestBody.fromBytes(Fixtures.media("sample.mp3")));
        String registered = sdk.registerMediaInfo(new RegisterMediaInfoRequest()
                .setInputURL("s3://" + store.bucket() + "/" + key).setTitle("Registered")).getBody().getMediaId();
        sdk.updateMediaInfo(new UpdateMediaInfoRequest().setMediaId(registered).setTitle("Renamed"));
        var listed = sdk.listMediaBasicInfos(new ListMediaBasicInfosRequest().setMediaType("audio").setMaxResults(100)
                .setIncludeFileBasicInfo(true)).getBody();
        assertThat(listed.getMediaInfos()).anySatisfy(m -> {
            assertThat(m.getMediaId()).isEqualTo(registered);
            assertThat(m.getMediaBasicInfo().getTitle()).isEqualTo("Renamed");
        });
        var deleted = sdk.deleteMediaInfos(new DeleteMediaInfosRequest().setMediaIds(registered + ",unknown")
                .setDeletePhysicalFiles(true)).getBody();
        assertThat(deleted.getIgnoredList()).containsExactly("unknown");
        assertThat(store.head(key)).isEmpty();
    }

    @Test
    void aWrongSecretAnUnknownKeyAndAMissingPermissionAreRefusedWithAlibabasCodes() throws Exception {
        GetMediaInfoRequest any = new GetMediaInfoRequest().setMediaId("x");
        TeaException wrong = catchThrowableOfType(TeaException.class, () -> client(ADMIN_ID, "not-the-secret").getMediaInfo(any));
        assertThat(wrong.getCode()).isEqualTo("SignatureDoesNotMatch");
        assertThat(wrong.getStatusCode()).isEqualTo(400);
        TeaException unknown = catchThrowableOfType(TeaException.class, () -> client("LTAInobody", "whatever").getMediaInfo(any));
        assertThat(unknown.getCode()).isEqualTo("InvalidAccessKeyId.NotFound");
        assertThat(unknown.getStatusCode()).isEqualTo(404);
        Client reader = client("LTAIreader", "reader-secret");
        TeaException forbidden = catchThrowableOfType(TeaException.class, () -> reader.uploadMediaByURL(
                new UploadMediaByURLRequest().setUploadURLs(RunningService.encode(sources.url("/v/clip.mp4")))));
        assertThat(forbidden.getCode()).isEqualTo("Forbidden.RAM");
        assertThat(forbidden.getStatusCode()).isEqualTo(403);
        TeaException notFound = catchThrowableOfType(TeaException.class, () -> reader.getMediaInfo(any));
        assertThat(notFound.getCode()).isEqualTo("InvalidParameter.MediaNotFound"); // allowed, and answered
    }

    @Test
    void aStaleTimestampAndAReusedNonceAreRefused() throws Exception {
        Map<String, String> fresh = signedV1("GetUrlUploadInfos", Map.of("JobIds", "j1"), Instant.now(), "nonce-" + UUID.randomUUID());
        assertThat(get(fresh).status()).isEqualTo(200);
        RunningService.ApiReply replay = get(fresh);
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.body().path("Code").asText()).isEqualTo("SignatureNonceUsed");

        Map<String, String> stale = signedV1("GetUrlUploadInfos", Map.of("JobIds", "j1"),
                Instant.now().minus(16, ChronoUnit.MINUTES), "nonce-" + UUID.randomUUID());
        RunningService.ApiReply old = get(stale);
        assertThat(old.status()).isEqualTo(400);
        assertThat(old.body().path("Code").asText()).isEqualTo("InvalidTimeStamp.Expired");

        Map<String, String> unsigned = new TreeMap<>(Map.of("Action", "GetUrlUploadInfos", "JobIds", "j1"));
        RunningService.ApiReply anonymous = get(unsigned);
        assertThat(anonymous.status()).isEqualTo(400);
        assertThat(anonymous.body().path("Code").asText()).isEqualTo("MissingParameter");

        Map<String, String> tampered = new TreeMap<>(signedV1("GetUrlUploadInfos", Map.of("JobIds", "j1"), Instant.now(),
                "nonce-" + UUID.randomUUID()));
        tampered.put("JobIds", "j2");
        assertThat(get(tampered).body().path("Code").asText()).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void aKeyBoundToAnAppIdSeesOnlyThatAppsJobsAndMedia() throws Exception {
        Client admin = client(ADMIN_ID, ADMIN_SECRET);
        Client teamA = client("LTAIteamA", "team-a-secret");
        String url = RunningService.encode(sources.url("/v/clip.mp4"));
        String adminJob = admin.uploadMediaByURL(new UploadMediaByURLRequest().setUploadURLs(url).setAppId("app-b"))
                .getBody().getUploadJobs().get(0).getJobId();
        var teamJob = teamA.uploadMediaByURL(new UploadMediaByURLRequest().setUploadURLs(url)).getBody().getUploadJobs().get(0);

        var seen = teamA.getUrlUploadInfos(new GetUrlUploadInfosRequest().setJobIds(adminJob + "," + teamJob.getJobId())).getBody();
        assertThat(seen.getURLUploadInfoList()).extracting(i -> i.getJobId()).containsExactly(teamJob.getJobId());
        assertThat(seen.getNonExists()).containsExactly(adminJob);
        TeaException otherApp = catchThrowableOfType(TeaException.class, () -> teamA.uploadMediaByURL(
                new UploadMediaByURLRequest().setUploadURLs(url).setAppId("app-b")));
        assertThat(otherApp.getCode()).isEqualTo("Forbidden.RAM");

        await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCESS".equals(admin.getUrlUploadInfos(
                new GetUrlUploadInfosRequest().setJobIds(adminJob)).getBody().getURLUploadInfoList().get(0).getStatus()));
        String adminMedia = admin.getUrlUploadInfos(new GetUrlUploadInfosRequest().setJobIds(adminJob)).getBody()
                .getURLUploadInfoList().get(0).getMediaId();
        TeaException hidden = catchThrowableOfType(TeaException.class,
                () -> teamA.getMediaInfo(new GetMediaInfoRequest().setMediaId(adminMedia)));
        assertThat(hidden.getStatusCode()).isEqualTo(404);
        // another AppId's media reads as missing: the reply does not tell that it exists
        var refused = teamA.deleteMediaInfos(new DeleteMediaInfosRequest().setMediaIds(adminMedia)).getBody();
        assertThat(refused.getIgnoredList()).containsExactly(adminMedia);
        assertThat(refused.getForbiddenList()).isEmpty();
        assertThat(admin.getMediaInfo(new GetMediaInfoRequest().setMediaId(adminMedia)).getBody().getMediaInfo()).isNotNull();
    }

    /** Signs like the SDK's RPC 1.0 path, through the SDK's own signer, with a chosen time and nonce. */
    private static Map<String, String> signedV1(String action, Map<String, String> parameters, Instant time, String nonce)
            throws Exception {
        Map<String, String> p = new TreeMap<>(parameters);
        p.put("Action", action);
        p.put("Version", "2020-11-09");
        p.put("Format", "json");
        p.put("AccessKeyId", ADMIN_ID);
        p.put("SignatureMethod", "HMAC-SHA1");
        p.put("SignatureVersion", "1.0");
        p.put("SignatureNonce", nonce);
        p.put("Timestamp", time.truncatedTo(ChronoUnit.SECONDS).toString());
        p.put("Signature", com.aliyun.openapiutil.Client.getRPCSignature(p, "GET", ADMIN_SECRET));
        return p;
    }

    private static RunningService.ApiReply get(Map<String, String> parameters) throws Exception {
        String query = parameters.entrySet().stream()
                .map(e -> RunningService.encode(e.getKey()) + "=" + RunningService.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(service.baseUrl() + "?" + query)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = Json.read(response.body());
        return new RunningService.ApiReply(response.statusCode(), body);
    }
}
