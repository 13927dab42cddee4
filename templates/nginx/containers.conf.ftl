<#-- containers.conf: every routed app of octod. Rendered anew on every change; edits are overwritten. -->
# Written by octod (generation ${generation}): do not edit, it is rendered again on every change.

# Listed first, so it is also the default for host names no app claims.
server {
    listen ${httpPort?c};
    server_name ${probeHost};
    location = ${probePath} {
        default_type text/plain;
        return 200 "${generation} $pid";
    }
    location / {
        return 404;
    }
}
<#list apps as app>

<#include "app.ftl">
</#list>
