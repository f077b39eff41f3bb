package io.mediaurlingest.store;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.camel.support.service.ServiceSupport;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded S3 endpoint: S3Proxy over a jclouds filesystem blob store under
 * {data-dir}/store, signed with the configured key, listening on loopback by default.
 */
public final class EmbeddedS3Store extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3Store.class);

    private final S3Proxy proxy;
    private final BlobStoreContext blobStoreContext;
    private final URI endpoint;

    public EmbeddedS3Store(Path baseDir, String host, int port, String identity, String credential) throws Exception {
        Files.createDirectories(baseDir);
        Properties overrides = new Properties();
        overrides.setProperty("jclouds.filesystem.basedir", baseDir.toAbsolutePath().toString());
        this.blobStoreContext = ContextBuilder.newBuilder("filesystem")
                .credentials(identity, credential)
                .overrides(overrides)
                .build(BlobStoreContext.class);
        this.endpoint = URI.create("http://" + host + ":" + port);
        this.proxy = S3Proxy.builder()
                .blobStore(blobStoreContext.getBlobStore())
                .endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, identity, credential)
                .build();
    }

    public URI endpoint() {
        return URI.create("http://" + endpoint.getHost() + ":" + proxy.getPort());
    }

    @Override
    protected void doStart() throws Exception {
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
        proxy.stop();
        blobStoreContext.close();
    }
}
