package io.mediaurlingest.store;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.support.service.ServiceSupport;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded S3 endpoint: S3Proxy over its filesystem-nio2 blob store under {data-dir}/store
 * (one file per object; folders are not objects), signed with the configured key, listening on
 * loopback by default. S3Proxy 4 takes what current S3 clients send at their defaults:
 * aws-chunked bodies with trailing CRC32/CRC32C/CRC64NVME/SHA checksums, which it verifies.
 */
public final class EmbeddedS3Store extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3Store.class);

    private final Path baseDir;
    private final URI endpoint;
    private final String identity;
    private final String credential;
    private S3Proxy proxy;

    /** @param port 0: any free port (see {@link #endpoint()} once started) */
    public EmbeddedS3Store(Path baseDir, String host, int port, String identity, String credential) {
        this.baseDir = baseDir;
        this.endpoint = URI.create("http://" + host + ":" + port);
        this.identity = identity;
        this.credential = credential;
    }

    /** The endpoint it listens on; once started (the port may have been chosen then). */
    public URI endpoint() {
        return URI.create("http://" + endpoint.getHost() + ":" + proxy.getPort());
    }

    @Override
    protected void doStart() throws Exception {
        Files.createDirectories(baseDir);
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(baseDir.toAbsolutePath().toString()))
                .endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, identity, credential)
                .build();
        proxy.start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("embedded S3 store did not start: " + proxy.getState());
            }
            Thread.sleep(20);
        }
        LOG.info("Embedded S3 store (S3Proxy) listening on {}", endpoint());
    }

    @Override
    protected void doStop() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
    }
}
