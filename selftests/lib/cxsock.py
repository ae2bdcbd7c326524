#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""AF_CXNET socket probes for the selftests.

  cxsock.py create TYPE PROTO        exit 0 if socket() succeeds, else print the errno name, exit 1
  cxsock.py hold SECONDS [N]         open N stream sockets, print "ready", sleep, close
  cxsock.py family                   print the family number the module registered
"""
import ctypes
import errno
import os
import socket
import sys
import time

# libc's socket(): Python's socket() turns proto=-1 into "default", so exact arguments
# (negative or out-of-range protocols) need the C call.
libc = ctypes.CDLL(None, use_errno=True)


def family():
    # The module reports the number in `cxip info -j`; fall back to the uapi default.
    fam = os.environ.get("CXNET_FAMILY")
    return int(fam) if fam else 19


TYPES = {"stream": socket.SOCK_STREAM, "dgram": socket.SOCK_DGRAM, "raw": socket.SOCK_RAW,
         "seqpacket": socket.SOCK_SEQPACKET, "rdm": socket.SOCK_RDM, "packet": 10, "dccp": 6}


def main(argv):
    if argv[1] == "create":
        fd = libc.socket(family(), TYPES[argv[2]], int(argv[3]))
        if fd < 0:
            e = ctypes.get_errno()
            print(errno.errorcode.get(e, str(e)))
            return 1
        os.close(fd)
        print("OK")
        return 0
    if argv[1] == "hold":
        n = int(argv[3]) if len(argv) > 3 else 1
        socks = [socket.socket(family(), socket.SOCK_STREAM, 0) for _ in range(n)]
        print("ready", flush=True)
        time.sleep(float(argv[2]))
        for s in socks:
            s.close()
        return 0
    if argv[1] == "family":
        print(family())
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
