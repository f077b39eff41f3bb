package io.mediaurlingest.ops;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * ingest.log.format for java -jar: "text" keeps logback.xml's pattern, "json" gives every
 * appender of the root logger logstash-logback-encoder's LogstashEncoder: one JSON object per
 * line (@timestamp, level, logger_name, thread_name, message, stack_trace) with the MDC as fields
 * of their own (JobId, MediaId, RequestId, camel.routeId). Applied as soon as the properties are read, before
 * the context starts. An ESB that embeds the bundle keeps its own logging.
 */
public final class LogFormat {

    private LogFormat() {
    }

    public static void apply(String format) {
        if (!"json".equals(format) || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext logback)) {
            return;
        }
        Logger root = logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (var it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> appender = it.next();
            if (appender instanceof OutputStreamAppender<ILoggingEvent> stream && !(stream.getEncoder() instanceof LogstashEncoder)) {
                LogstashEncoder json = new LogstashEncoder();
                json.setContext(logback);
                json.start();
                stream.stop();
                stream.setEncoder(json);
                stream.start();
            }
        }
    }
}
