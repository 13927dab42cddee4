<#-- One routed app: its upstream of containers and the server answering its domains. -->
upstream ${app.upstream} {
<#list app.backends as backend>
    server ${backend.host}:${backend.port?c}; # ${backend.container}
</#list>
    keepalive 16;
}

server {
    listen ${httpPort?c};
    server_name <#list app.domains as domain>${domain}<#sep> </#list>;
    client_max_body_size 64m;

    location / {
        proxy_pass http://${app.upstream};
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Upgrade $http_upgrade;
        # the client's own Connection header (keep-alive, upgrade for websockets): no map needed,
        # so several rendered files can share one nginx
        proxy_set_header Connection $http_connection;
    }
}
