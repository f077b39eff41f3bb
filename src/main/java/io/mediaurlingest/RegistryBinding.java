package io.mediaurlingest;

import org.apache.camel.CamelContext;
import org.apache.camel.Service;

/**
 * How the capability configurations bind their beans: a bean already in the registry (bound
 * by an ESB or a test before the bundle is added) is kept, not replaced. A bean created here
 * that is a Camel Service is started and stopped with the context.
 */
public final class RegistryBinding {

    /** Creates a bean; may throw, as constructors of clients and pools do. */
    @FunctionalInterface
    public interface Factory<T> {
        T create() throws Exception;
    }

    private RegistryBinding() {
    }

    public static <T> T bindIfAbsent(CamelContext context, String name, Class<T> type, Factory<T> factory) throws Exception {
        T existing = context.getRegistry().lookupByNameAndType(name, type);
        if (existing != null) {
            return existing;
        }
        T bean = factory.create();
        context.getRegistry().bind(name, bean);
        if (bean instanceof Service service) {
            context.addService(service, true, true);
        }
        return bean;
    }

    /** A bean another configuration bound (configurations run in the order MediaUrlIngest gives). */
    public static <T> T lookup(CamelContext context, String name, Class<T> type) {
        T bean = context.getRegistry().lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("no bean " + name + " of type " + type.getSimpleName() + " is bound");
        }
        return bean;
    }
}
