package io.mediaurlingest.store;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 with an UNSIGNED-PAYLOAD body for a store on a loopback address. Over plain HTTP the
 * SDK always signs the payload (aws-chunked, a SHA-256 per 128 KiB chunk), which only guards
 * bytes crossing a network; on loopback nothing is crossed, and the hashing, the chunk framing
 * and S3Proxy's byte-at-a-time chunk decoder about double a PUT's CPU (bench/run.sh: 8 PUTs of
 * 138 MiB cost 5.6 CPU seconds with the SDK's defaults, 2.9 with this signer). The headers are
 * still signed: the store still checks who is calling. The signature does not cover the scheme,
 * so the request is signed as its https twin (where the SDK allows unsigned payloads) with its
 * own Host header, then sent as it was.
 */
final class LoopbackPayloadSigner implements AwsV4HttpSigner {

    private final AwsV4HttpSigner standard = AwsV4HttpSigner.create();

    /** The sigv4 scheme with this signer, for S3ClientBuilder.putAuthScheme. */
    static AwsV4AuthScheme scheme() {
        LoopbackPayloadSigner signer = new LoopbackPayloadSigner();
        return new AwsV4AuthScheme() {
            @Override
            public String schemeId() {
                return SCHEME_ID;
            }

            @Override
            public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
                return providers.identityProvider(AwsCredentialsIdentity.class);
            }

            @Override
            public AwsV4HttpSigner signer() {
                return signer;
            }
        };
    }

    /** True for a plain-HTTP endpoint whose host is a loopback address (127.0.0.0/8, ::1, localhost). */
    static boolean appliesTo(URI endpoint) {
        if (!"http".equalsIgnoreCase(endpoint.getScheme()) || endpoint.getHost() == null) {
            return false;
        }
        String host = endpoint.getHost();
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+\\]?")) {
            return false; // a name: never looked up here
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
        SdkHttpRequest sent = request.request();
        SignedRequest signed = standard.sign(request.copy(b -> b.request(asHttps(sent))
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)));
        return signed.copy(b -> b.request(signed.request().toBuilder().protocol(sent.protocol()).build()));
    }

    @Override
    public java.util.concurrent.CompletableFuture<AsyncSignedRequest> signAsync(
            AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
        SdkHttpRequest sent = request.request();
        return standard.signAsync(request.copy(b -> b.request(asHttps(sent))
                        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)))
                .thenApply(signed -> signed.copy(b -> b.request(signed.request().toBuilder().protocol(sent.protocol()).build())));
    }

    /** The same request over https, keeping the Host header of the http one (a port of 443 would otherwise vanish). */
    private static SdkHttpRequest asHttps(SdkHttpRequest http) {
        String host = http.port() == 80 ? http.host() : http.host() + ":" + http.port();
        return http.toBuilder().protocol("https").putHeader("Host", http.firstMatchingHeader("Host").orElse(host)).build();
    }
}
