package io.mediaurlingest.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.aliyun.ice20201109.models.DeleteMediaInfosResponseBody;
import com.aliyun.ice20201109.models.GetMediaInfoResponseBody;
import com.aliyun.ice20201109.models.ListMediaBasicInfosResponseBody;
import com.aliyun.ice20201109.models.RegisterMediaInfoResponseBody;
import com.aliyun.tea.TeaModel;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Json;
import io.mediaurlingest.media.MediaAsset;
import io.mediaurlingest.media.MediaRepository;
import io.mediaurlingest.store.StorageLocation;
import io.mediaurlingest.store.StorageLocations;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.RunningService;
import io.mediaurlingest.support.RunningService.ApiReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Register, get, list, update and delete media over objects already in the store; every
 * reply is also parsed by the official SDK's model classes.
 */
class MediaLibraryTest {

    @TempDir
    static Path dataDir;
    static RunningService service;
    static StorageLocation store;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(dataDir, Map.of());
        store = service.bean("storageLocations", StorageLocations.class).defaultLocation();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static String putObject(String key, String fixture) throws Exception {
        store.s3().putObject(b -> b.bucket(store.bucket()).key(key).contentType("video/mp4"),
                RequestBody.fromBytes(Fixtures.media(fixture)));
        return "s3://" + store.bucket() + "/" + key;
    }

    private static <T extends TeaModel> T sdk(ApiReply reply, T model) throws Exception {
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = Json.MAPPER.convertValue(reply.body(), Map.class);
        return TeaModel.toModel(map, model);
    }

    private static String register(Map<String, String> parameters) throws Exception {
        RegisterMediaInfoResponseBody body = sdk(service.call("RegisterMediaInfo", parameters), new RegisterMediaInfoResponseBody());
        assertThat(body.getRequestId()).isNotBlank();
        return body.getMediaId();
    }

    @Test
    void registerThenGetByIdAndByEveryFormOfInputUrl() throws Exception {
        String s3Url = putObject("imports/interview.mp4", "sample.mp4");
        String mediaId = register(Map.of("InputURL", s3Url, "Title", "Interview", "MediaTags", "a,b",
                "CateId", "42", "ReferenceId", "ref-interview-1"));

        GetMediaInfoResponseBody byId = sdk(service.call("GetMediaInfo", Map.of("MediaId", mediaId)), new GetMediaInfoResponseBody());
        var basic = byId.getMediaInfo().getMediaBasicInfo();
        assertThat(basic.getTitle()).isEqualTo("Interview");
        assertThat(basic.getMediaType()).isEqualTo("video");
        assertThat(basic.getCateId()).isEqualTo(42L);
        assertThat(basic.getMediaTags()).isEqualTo("a,b");
        assertThat(basic.getReferenceId()).isEqualTo("ref-interview-1");
        var file = byId.getMediaInfo().getFileInfoList().get(0).getFileBasicInfo();
        assertThat(file.getFileSize()).isEqualTo(String.valueOf(Fixtures.media("sample.mp4").length));
        assertThat(file.getFileName()).isEqualTo("interview.mp4");
        assertThat(Fixtures.sha256(service.download(file.getFileUrl()))).isEqualTo(Fixtures.sha256(Fixtures.media("sample.mp4")));

        for (String form : List.of(s3Url, "oss://" + store.bucket() + "/imports/interview.mp4", basic.getInputURL())) {
            ApiReply reply = service.call("GetMediaInfo", Map.of("InputURL", form));
            assertThat(reply.body().path("MediaInfo").path("MediaId").asText()).as(form).isEqualTo(mediaId);
        }
    }

    @Test
    void registerIsIdempotentByClientTokenAndByUrlAndOverwriteReplaces() throws Exception {
        String url = putObject("imports/song.mp3", "sample.mp3");
        String first = register(Map.of("InputURL", url, "ClientToken", "tok-1"));
        assertThat(register(Map.of("InputURL", url, "ClientToken", "tok-1", "Title", "ignored"))).isEqualTo(first);
        assertThat(register(Map.of("InputURL", url))).isEqualTo(first);
        JsonNode kept = service.call("GetMediaInfo", Map.of("MediaId", first)).body();
        assertThat(kept.path("MediaInfo").path("MediaBasicInfo").path("Title").asText()).isEqualTo("song");
        assertThat(kept.path("MediaInfo").path("MediaBasicInfo").path("MediaType").asText()).isEqualTo("audio");

        String replaced = register(Map.of("InputURL", url, "Overwrite", "true", "Title", "Song v2"));
        assertThat(replaced).isNotEqualTo(first);
        assertThat(service.call("GetMediaInfo", Map.of("MediaId", first)).status()).isEqualTo(404);
        assertThat(service.call("GetMediaInfo", Map.of("MediaId", replaced)).body()
                .path("MediaInfo").path("MediaBasicInfo").path("Title").asText()).isEqualTo("Song v2");
    }

    @Test
    void registerRefusesWhatItCannotStandBehind() throws Exception {
        String url = putObject("imports/ref.webm", "sample.webm");
        register(Map.of("InputURL", url, "ReferenceId", "taken-ref-01"));
        String other = putObject("imports/ref2.webm", "sample.webm");

        assertRefused(service.call("RegisterMediaInfo", Map.of("InputURL", other, "ReferenceId", "taken-ref-01")), "ReferenceId");
        assertRefused(service.call("RegisterMediaInfo", Map.of("InputURL", other, "ReferenceId", "abc")), "ReferenceId");
        assertRefused(service.call("RegisterMediaInfo", Map.of("InputURL", "s3://no-such-bucket/x.mp4")), "InputURL");
        assertRefused(service.call("RegisterMediaInfo", Map.of("InputURL", "s3://" + store.bucket() + "/missing.mp4")), "InputURL");
        assertRefused(service.call("RegisterMediaInfo", Map.of("InputURL", other, "Title", "x".repeat(129))), "Title");
        assertRefused(service.call("RegisterMediaInfo", Map.of("InputURL", other, "MediaType", "hologram")), "MediaType");
        ApiReply missing = service.call("RegisterMediaInfo", Map.of());
        assertThat(missing.body().path("Code").asText()).isEqualTo("MissingParameter");
        ApiReply unknown = service.call("GetMediaInfo", Map.of("MediaId", "0000"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("Code").asText()).isEqualTo("InvalidParameter.MediaNotFound");
    }

    @Test
    void listPagesThroughEverythingOnceWithFiltersAndOrder() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(register(Map.of("InputURL", putObject("list/p" + i + ".mp4", "sample.mp4"), "BusinessType", "paging")));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Map<String, String> p = new HashMap<>(Map.of("MaxResults", "2", "BusinessType", "paging", "SortBy", "asc",
                    "IncludeFileBasicInfo", "true"));
            if (token != null) {
                p.put("NextToken", token);
            }
            ListMediaBasicInfosResponseBody page = sdk(service.call("ListMediaBasicInfos", p), new ListMediaBasicInfosResponseBody());
            assertThat(page.getTotalCount()).isEqualTo(5L);
            assertThat(page.getMaxResults()).isEqualTo(2);
            page.getMediaInfos().forEach(m -> {
                seen.add(m.getMediaId());
                assertThat(m.getFileInfoList().get(0).getFileBasicInfo().getFileUrl()).startsWith("http://127.0.0.1:");
            });
            token = page.getNextToken();
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids).doesNotHaveDuplicates();

        ListMediaBasicInfosResponseBody desc = sdk(service.call("ListMediaBasicInfos",
                Map.of("BusinessType", "paging", "MaxResults", "100")), new ListMediaBasicInfosResponseBody());
        List<String> newestFirst = new ArrayList<>(seen);
        java.util.Collections.reverse(newestFirst);
        assertThat(desc.getMediaInfos()).extracting(m -> m.getMediaId()).containsExactlyElementsOf(newestFirst);
        assertThat(desc.getMediaInfos().get(0).getFileInfoList()).isNull();

        ListMediaBasicInfosResponseBody audio = sdk(service.call("ListMediaBasicInfos",
                Map.of("BusinessType", "paging", "MediaType", "audio")), new ListMediaBasicInfosResponseBody());
        assertThat(audio.getTotalCount()).isZero();

        assertRefused(service.call("ListMediaBasicInfos", Map.of("MaxResults", "101")), "MaxResults");
        assertRefused(service.call("ListMediaBasicInfos", Map.of("MaxResults", "0")), "MaxResults");
        assertThat(service.call("ListMediaBasicInfos", Map.of("MaxResults", "100")).status()).isEqualTo(200);
        assertRefused(service.call("ListMediaBasicInfos", Map.of("NextToken", "garbage")), "NextToken");
        assertRefused(service.call("ListMediaBasicInfos", Map.of("StartTime", "yesterday")), "StartTime");
    }

    @Test
    void updateChangesOnlyWhatIsGivenAndAppendsTags() throws Exception {
        String mediaId = register(Map.of("InputURL", putObject("upd/u.mp4", "sample.mp4"), "Title", "Before",
                "MediaTags", "one", "Description", "keep me"));
        ApiReply updated = service.call("UpdateMediaInfo", Map.of("MediaId", mediaId, "Title", "After",
                "MediaTags", "two,three", "AppendTags", "true"));
        assertThat(updated.body().path("MediaId").asText()).isEqualTo(mediaId);
        JsonNode basic = service.call("GetMediaInfo", Map.of("MediaId", mediaId)).body().path("MediaInfo").path("MediaBasicInfo");
        assertThat(basic.path("Title").asText()).isEqualTo("After");
        assertThat(basic.path("MediaTags").asText()).isEqualTo("one,two,three");
        assertThat(basic.path("Description").asText()).isEqualTo("keep me");
        assertRefused(service.call("UpdateMediaInfo", Map.of("MediaId", mediaId, "Description", "x".repeat(1025))), "Description");
        assertThat(service.call("UpdateMediaInfo", Map.of("MediaId", "nope", "Title", "x")).status()).isEqualTo(404);
    }

    @Test
    void deleteRemovesMediaAndOptionallyTheObject() throws Exception {
        String keepUrl = putObject("del/keep.mp4", "sample.mp4");
        String dropUrl = putObject("del/drop.mp4", "sample.mp4");
        String keep = register(Map.of("InputURL", keepUrl));
        String drop = register(Map.of("InputURL", dropUrl));

        DeleteMediaInfosResponseBody first = sdk(service.call("DeleteMediaInfos", Map.of("MediaIds", keep + ",unknown-id")),
                new DeleteMediaInfosResponseBody());
        assertThat(first.getIgnoredList()).containsExactly("unknown-id");
        assertThat(first.getForbiddenList()).isEmpty();
        assertThat(store.head("del/keep.mp4")).isPresent();

        DeleteMediaInfosResponseBody second = sdk(service.call("DeleteMediaInfos",
                Map.of("InputURLs", dropUrl, "DeletePhysicalFiles", "true")), new DeleteMediaInfosResponseBody());
        assertThat(second.getIgnoredList()).isEmpty();
        assertThat(store.head("del/drop.mp4")).isEmpty();
        assertThat(service.call("GetMediaInfo", Map.of("MediaId", keep)).status()).isEqualTo(404);
        assertThat(service.call("GetMediaInfo", Map.of("MediaId", drop)).status()).isEqualTo(404);
    }

    /**
     * Two media rows may name one object (registered at once by two calls, or by an alias
     * spelling before keys were checked): the object goes only with the last of them.
     */
    @Test
    void anObjectAnotherMediaStillNamesIsNotDeleted() throws Exception {
        String url = putObject("del/shared.mp4", "sample.mp4");
        String first = register(Map.of("InputURL", url));
        MediaRepository repository = service.bean("mediaRepository", MediaRepository.class);
        String second = io.mediaurlingest.Ids.newId();
        repository.insert(copyWithId(repository.find(first).orElseThrow(), second));

        service.call("DeleteMediaInfos", Map.of("MediaIds", first, "DeletePhysicalFiles", "true"));
        assertThat(store.head("del/shared.mp4")).isPresent();
        assertThat(service.call("GetMediaInfo", Map.of("MediaId", second)).status()).isEqualTo(200);

        service.call("DeleteMediaInfos", Map.of("MediaIds", second, "DeletePhysicalFiles", "true"));
        assertThat(store.head("del/shared.mp4")).isEmpty();
    }

    /** The same media under another id (and without its unique ClientToken and ReferenceId). */
    private static MediaAsset copyWithId(MediaAsset m, String mediaId) throws Exception {
        java.lang.reflect.RecordComponent[] components = MediaAsset.class.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            String name = components[i].getName();
            types[i] = components[i].getType();
            values[i] = name.equals("mediaId") ? mediaId
                    : name.equals("clientToken") || name.equals("referenceId") ? null
                    : components[i].getAccessor().invoke(m);
        }
        return MediaAsset.class.getDeclaredConstructor(types).newInstance(values);
    }

    private static void assertRefused(ApiReply reply, String parameter) {
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(400);
        assertThat(reply.body().path("Code").asText()).isEqualTo("InvalidParameter");
        assertThat(reply.body().path("Message").asText()).contains(parameter);
    }
}
