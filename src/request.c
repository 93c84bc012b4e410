#include "request.h"

#include <string.h>

const struct request_info requests[REQ_COUNT] = {[REQ_NONE] = {REQ_NONE, "", "", "", NULL},
#define REQUEST_INFO(id, name, keys, help, command)                                                \
    [REQ_##id] = {REQ_##id, name, keys, help, command},
                                                 REQUEST_LIST(REQUEST_INFO)
#undef REQUEST_INFO
};

enum request request_by_name(const char *name)
{
    for (int r = REQ_NONE + 1; r < REQ_COUNT; r++)
        if (strcmp(requests[r].name, name) == 0)
            return (enum request)r;
    return REQ_NONE;
}
