package io.mediaurlingest.api;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;
import org.apache.camel.component.netty.ChannelHandlerFactory;

/**
 * A connection to the API must bring a whole request (head and body) within the timeout after
 * it opens or after its previous response was sent; else it is closed. A client that sends its
 * headers a byte at a time, or opens connections and sends nothing, cannot hold them open.
 * While a request is being answered the clock stops. Added to the Netty pipeline after the
 * HTTP decoder through the endpoint's {@code decoders=#apiRequestTimeout}.
 */
public final class RequestTimeout extends ChannelHandlerAdapter implements ChannelHandlerFactory {

    private final long timeoutMillis;

    public RequestTimeout(Duration timeout) {
        this.timeoutMillis = timeout.toMillis();
    }

    @Override
    public ChannelHandler newChannelHandler() {
        return new PerConnection(timeoutMillis);
    }

    private static final class PerConnection extends ChannelDuplexHandler {
        private final long timeoutMillis;
        private ScheduledFuture<?> closing;

        PerConnection(long timeoutMillis) {
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (ctx.channel().isActive()) {
                arm(ctx);
            }
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            arm(ctx);
            super.channelActive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof LastHttpContent) {
                disarm(); // the whole request is in: the clock stops while it is answered
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            // the clock starts again from the end of the response's last write
            super.write(ctx, msg, promise.unvoid().addListener(f -> arm(ctx)));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            disarm();
            super.channelInactive(ctx);
        }

        private void arm(ChannelHandlerContext ctx) {
            disarm();
            closing = ctx.executor().schedule(() -> {
                ctx.close();
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        }

        private void disarm() {
            if (closing != null) {
                closing.cancel(false);
                closing = null;
            }
        }
    }
}
