package org.cvdplanner.system;

import java.util.List;

/** The limits one feature checks on its requests, as configured on this instance. */
public interface RequestLimits {

    List<RequestLimit> requestLimits();
}
