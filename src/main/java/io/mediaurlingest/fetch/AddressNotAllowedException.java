package io.mediaurlingest.fetch;

import java.net.UnknownHostException;

/** A host resolved only to refused addresses: no connection was opened. */
public class AddressNotAllowedException extends UnknownHostException {

    public AddressNotAllowedException(String message) {
        super(message);
    }
}
