package io.mediaurlingest.api;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Optional;

/**
 * The NextToken of a keyset listing (ListUrlUploadJobs, ListCallbackEvents): the creation time
 * and id of the last row given, where the next page starts.
 */
record PageToken(OffsetDateTime createdAt, String id) {

    String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The call's NextToken, if it gave one; InvalidParameter for one this service did not give out. */
    static Optional<PageToken> of(RpcRequest request) {
        return request.optional("NextToken").map(token -> {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\\|");
                return new PageToken(OffsetDateTime.parse(parts[0]), parts[1]);
            } catch (RuntimeException e) {
                throw ApiException.invalid("NextToken is not a token this listing gave out.");
            }
        });
    }
}
