package io.mediaurlingest.store;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.support.service.ServiceSupport;

/** The storage locations media can be written to, by name; the first one is the default. */
public final class StorageLocations extends ServiceSupport {

    private final Map<String, StorageLocation> byName = new LinkedHashMap<>();

    public void add(StorageLocation location) {
        byName.put(location.name(), location);
    }

    public StorageLocation defaultLocation() {
        return byName.values().iterator().next();
    }

    public Optional<StorageLocation> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public StorageLocation get(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException("no storage location named " + name));
    }

    public Collection<StorageLocation> all() {
        return byName.values();
    }

    @Override
    protected void doStop() {
        byName.values().forEach(StorageLocation::close);
    }
}
