package io.mediaurlingest.fetch;

import java.nio.file.Path;

import io.mediaurlingest.RegistryBinding;
import io.mediaurlingest.Settings;
import io.mediaurlingest.media.MediaSniffer;
import io.mediaurlingest.ops.IngestMetrics;
import io.mediaurlingest.store.JobUploads;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

/**
 * Source downloads: runningDownloads (the downloads of this node, their watchdog and cut-off),
 * headerCipher (the jobs' source headers sealed at rest), sourceDownloader (HttpClient 5
 * through the sources' address guard) and hlsDownloader (HLS presentations through it).
 */
public final class FetchConfiguration implements CamelConfiguration {

    @PropertyInject("ingest.data-dir")
    String dataDir;
    @PropertyInject("ingest.fetch.allow-private-networks")
    boolean allowPrivateNetworks;
    @PropertyInject("ingest.fetch.allowed-networks")
    String allowedNetworks;
    @PropertyInject("ingest.fetch.connect-timeout")
    String connectTimeout;
    @PropertyInject("ingest.fetch.read-timeout")
    String readTimeout;
    @PropertyInject("ingest.fetch.max-redirects")
    int maxRedirects;
    @PropertyInject("ingest.fetch.deadline")
    String deadline;
    @PropertyInject("ingest.fetch.min-rate")
    String minRate;
    @PropertyInject("ingest.fetch.min-rate-window")
    String minRateWindow;
    @PropertyInject("ingest.fetch.max-file-size")
    String maxFileSize;
    @PropertyInject("ingest.fetch.user-agent")
    String userAgent;
    @PropertyInject("ingest.secrets.key-file")
    String keyFile;

    @Override
    public void configure(CamelContext context) throws Exception {
        RunningDownloads running = RegistryBinding.bindIfAbsent(context, "runningDownloads", RunningDownloads.class,
                () -> new RunningDownloads(Settings.parseDuration(deadline), Settings.parseSize(minRate),
                        Settings.parseDuration(minRateWindow)));
        MediaSniffer sniffer = RegistryBinding.lookup(context, "mediaSniffer", MediaSniffer.class);
        JobUploads store = RegistryBinding.lookup(context, "jobUploads", JobUploads.class);
        HeaderCipher cipher = RegistryBinding.bindIfAbsent(context, "headerCipher", HeaderCipher.class,
                () -> HeaderCipher.fromKeyFile(Path.of(keyFile)));
        SourceDownloader downloader = RegistryBinding.bindIfAbsent(context, "sourceDownloader", SourceDownloader.class, () -> new SourceDownloader(
                new AddressGuard(allowPrivateNetworks, AddressGuard.networks(allowedNetworks)),
                Path.of(dataDir).resolve("tmp"), Settings.parseDuration(connectTimeout),
                Settings.parseDuration(readTimeout), maxRedirects, Settings.parseSize(maxFileSize), userAgent, running,
                sniffer, store, cipher, RegistryBinding.lookup(context, "diskReserve", DiskReserve.class),
                RegistryBinding.lookup(context, "ingestMetrics", IngestMetrics.class)));
        RegistryBinding.bindIfAbsent(context, "hlsDownloader", HlsDownloader.class, () -> new HlsDownloader(downloader,
                Path.of(dataDir).resolve("tmp"), Settings.parseSize(maxFileSize),
                RegistryBinding.lookup(context, "diskReserve", DiskReserve.class)));
    }
}
