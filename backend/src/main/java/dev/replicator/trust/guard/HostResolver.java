package dev.replicator.trust.guard;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Name resolution, the system's by default; a seam so the guard's rules can be tested with any
 * answer.
 */
@FunctionalInterface
public interface HostResolver {

  HostResolver SYSTEM = InetAddress::getAllByName;

  InetAddress[] resolve(String host) throws UnknownHostException;
}
