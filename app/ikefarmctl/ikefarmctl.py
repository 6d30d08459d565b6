#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""ikefarmctl - control a running ikefarmd over its DPDK telemetry socket.

Modelled on swanctl. The daemon is found by the EAL file prefix it was
started with (--file-prefix); without one: "ikefarmd" (the systemd unit's)
when it is there, else the only live ikefarm* prefix. Standard library only.
"""
import argparse
import ipaddress
import json
import os
import socket
import sys
import time

# DPDK's limit on one telemetry reply; /ikefarm/sas pages stay under it.
MAX_REPLY = 16384
# DPDK's limit on one dict (RTE_TEL_MAX_DICT_ENTRIES): a full one may have lost values.
DICT_MAX = 256
ID_TYPES = ('fqdn', 'email', 'ipv4', 'ipv6', 'keyid')


class CtlError(Exception):
    pass


def runtime_dirs():
    """Where DPDK puts /PREFIX/dpdk_telemetry.v2 (eal_get_runtime_dir)."""
    if os.geteuid() == 0:
        return ['/var/run/dpdk']
    xdg = os.environ.get('XDG_RUNTIME_DIR')
    return [os.path.join(xdg, 'dpdk')] if xdg else ['/tmp/dpdk']


def socket_of(prefix):
    for d in runtime_dirs():
        path = os.path.join(d, prefix, 'dpdk_telemetry.v2')
        if os.path.exists(path):
            return path
    return None


def alive(path):
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as s:
            s.settimeout(2)
            s.connect(path)
        return True
    except OSError:
        return False


def find_socket(prefix):
    if prefix is not None:
        path = socket_of(prefix)
        if path is None:
            raise CtlError('no daemon with file prefix %r: no %s' % (
                prefix, ' or '.join(os.path.join(d, prefix, 'dpdk_telemetry.v2')
                                    for d in runtime_dirs())))
        return path
    path = socket_of('ikefarmd')
    if path is not None and alive(path):
        return path
    found = []
    for d in runtime_dirs():
        try:
            names = sorted(os.listdir(d))
        except OSError:
            continue
        for name in names:
            p = os.path.join(d, name, 'dpdk_telemetry.v2')
            if name.startswith('ikefarm') and os.path.exists(p):
                found.append((name, p, alive(p)))
    live = [f for f in found if f[2]]
    if len(live) == 1:
        return live[0][1]
    if not found:
        raise CtlError('no ikefarmd found (no ikefarm* prefix under %s); give --file-prefix'
                       % ', '.join(runtime_dirs()))
    raise CtlError('give --file-prefix: %s' % ', '.join(
        '%s (%s)' % (n, 'live' if a else 'not answering') for n, _, a in found))


class Telemetry:
    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.settimeout(10)
        try:
            self.sock.connect(path)
            hello = json.loads(self.sock.recv(MAX_REPLY).decode())
        except (OSError, ValueError) as e:
            raise CtlError('%s: %s' % (path, e))
        self.max_len = hello.get('max_output_len', MAX_REPLY)

    def query(self, cmd, params=None):
        text = cmd if params is None else '%s,%s' % (cmd, params)
        try:
            self.sock.send(text.encode())
            reply = json.loads(self.sock.recv(self.max_len + 1024).decode())
        except (OSError, ValueError) as e:
            raise CtlError('%s: %s' % (text, e))
        value = reply.get(cmd)
        if value is None:
            raise CtlError('%s: the daemon does not know this command or refused it' % text)
        if isinstance(value, dict) and 'error' in value:
            raise CtlError('%s: %s' % (text, value['error']))
        # DPDK drops a dict's entries past its 256th without a word.
        if isinstance(value, dict) and len(value) >= DICT_MAX:
            raise CtlError('%s: %d entries, DPDK\'s limit: values past it may be lost' %
                           (text, len(value)))
        return value

    def close(self):
        self.sock.close()


def id_selector(text):
    """fqdn:alice.example.com, or a bare value whose type is guessed."""
    kind, sep, value = text.partition(':')
    if sep and kind in ID_TYPES:
        return 'id:%s:%s' % (kind, value)
    try:
        addr = ipaddress.ip_address(text)
        return 'id:%s:%s' % ('ipv4' if addr.version == 4 else 'ipv6', text)
    except ValueError:
        pass
    return 'id:%s:%s' % ('email' if '@' in text else 'fqdn', text)


def spi_selector(text):
    spi = text.lower()
    if spi.startswith('0x'):
        spi = spi[2:]
    for suffix in ('_r', '_i'):
        if spi.endswith(suffix):
            spi = spi[:-2]
    try:
        if not 0 < int(spi, 16) < 1 << 64:
            raise ValueError
    except ValueError:
        raise CtlError('--spi %r: our (responder) IKE SPI, 1..16 hex digits' % text)
    return 'spi:' + spi


ESP_SA_FIELDS = ('packets', 'bytes', 'replay', 'auth', 'bad', 'selector', 'dummy')


def child_counters(tel, spi_in):
    """The data path's counters of one Child SA (/ikefarm/esp_sa), or None without one."""
    try:
        st = tel.query('/ikefarm/esp_sa', '0x' + spi_in)
    except CtlError:
        return None
    return {d: {f: st.get('%s_%s' % (d, f), 0) for f in ESP_SA_FIELDS} for d in ('in', 'out')}


def all_sas(tel):
    """Every established IKE SA, a page at a time (each page: one worker, one mailbox turn)."""
    pos = ''
    while True:
        page = tel.query('/ikefarm/sas', pos)
        cols = [k for k in page if isinstance(page[k], list)]
        for i in range(len(page.get('spi_r', []))):
            sa = {k: page[k][i] for k in cols}
            sa['shard'] = page['shard']
            listed, sa['children'] = sa['children'].split(), []
            for c in listed:
                child = {'spi_in': c.split('/')[0], 'spi_out': c.split('/')[1]}
                ctr = child_counters(tel, child['spi_in'])
                child['counters'] = ctr
                child['bytes'] = None if ctr is None else ctr['in']['bytes'] + ctr['out']['bytes']
                sa['children'].append(child)
            # The IKE SA's total: its Child SAs now, plus those rekeyed away or deleted.
            known = [c['bytes'] for c in sa['children'] if c['bytes'] is not None]
            retired = sa.get('retired_bytes', 0)
            sa['bytes'] = sum(known) + retired if known or retired else None
            yield sa
        pos = page.get('next', '')
        if not pos:
            return


def peer_matches(sa, peer):
    host = sa['remote'].rsplit('[', 1)[0]
    try:
        return ipaddress.ip_address(host) == ipaddress.ip_address(peer)
    except ValueError:
        return host == peer


def cmd_list_sas(tel, args):
    want_id = id_selector(args.id)[3:] if args.id else None
    sas = [sa for sa in all_sas(tel)
           if (want_id is None or sa['id'] == want_id)
           and (args.peer is None or peer_matches(sa, args.peer))]
    now = int(time.time())
    if args.json:
        print(json.dumps({'sas': sas}))
        return 0
    for sa in sas:
        print('%s: ESTABLISHED %u s ago, %s...%s, shard %u' % (
            sa['id'], sa['age_s'], sa['local'], sa['remote'], sa['shard']))
        print('  SPIs %s_i %s_r, %s' % (sa['spi_i'], sa['spi_r'], sa['algs']))
        if sa['auth_deadline']:
            print('  reauth in %d s' % (sa['auth_deadline'] - now))
        if sa['bytes'] is not None:
            print('  bytes %u, of which Child SAs gone (rekeyed or deleted): %u packets %u bytes, '
                  '%u replayed or bad ICV' % (sa['bytes'], sa.get('retired_packets', 0),
                                              sa.get('retired_bytes', 0),
                                              sa.get('retired_errors', 0)))
        for c in sa['children']:
            ctr = c['counters']
            if ctr is None:
                print('  child SA: SPIs %s_i %s_o, bytes -' % (c['spi_in'], c['spi_out']))
                continue
            print('  child SA: SPIs %s_i %s_o, bytes %u' % (c['spi_in'], c['spi_out'], c['bytes']))
            print('    in  %u packets %u bytes, %u replayed, %u bad ICV, %u bad, %u off-selector'
                  % (ctr['in']['packets'], ctr['in']['bytes'], ctr['in']['replay'],
                     ctr['in']['auth'], ctr['in']['bad'], ctr['in']['selector']))
            print('    out %u packets %u bytes' % (ctr['out']['packets'], ctr['out']['bytes']))
    print('%u IKE SA%s' % (len(sas), '' if len(sas) == 1 else 's'))
    return 0


def cmd_stats(tel, args):
    # The IKE core's counters and SA counts, then the runtime's and the device's.
    stats = tel.query('/ikefarm/stats')
    stats.update(tel.query('/ikefarm/runtime'))
    if args.json:
        print(json.dumps(stats))
        return 0
    first = ('shards', 'ike_sas', 'half_open', 'events_suppressed')
    for k in first:
        if k in stats:
            print('%-28s %s' % (k, stats[k]))
    for k, v in stats.items():
        if k not in first and v != 0:
            print('%-28s %s' % (k, v))
    return 0


def cmd_select(tel, args, cmd, done_key):
    if args.spi:
        sel = spi_selector(args.spi)
    elif args.id:
        sel = id_selector(args.id)
    elif getattr(args, 'all', False):
        sel = 'all'
    else:
        raise CtlError('%s: give --id or --spi' % args.command)
    ans = tel.query(cmd, sel)
    if args.json:
        print(json.dumps(ans))
    else:
        print('%s: %u IKE SA%s%s' % (
            done_key, ans[done_key], '' if ans[done_key] == 1 else 's',
            ', %u shard(s) busy or late: try again' % (ans['shards_busy'] +
                                                      ans['shards_pending'])
            if ans['shards_busy'] + ans['shards_pending'] else ''))
    return 0 if ans['shards_busy'] + ans['shards_pending'] == 0 else 1


def cmd_reload(tel, args, cmd):
    ans = tel.query(cmd)
    msg = ans.get('message', '')
    if isinstance(msg, list):  # pieces of at most 127 characters (the telemetry's limit)
        ans['message'] = msg = ''.join(msg)
    if args.json:
        print(json.dumps(ans))
    else:
        print(msg)
    return 0 if ans.get('ok') else 1


def parser():
    p = argparse.ArgumentParser(prog='ikefarmctl', description=__doc__.split('\n')[0])
    p.add_argument('--file-prefix', metavar='P',
                   help='EAL file prefix the daemon runs with (default: ikefarmd, else the '
                        'only live ikefarm* one)')
    p.add_argument('--json', action='store_true', help='JSON output, for scripts')
    sub = p.add_subparsers(dest='command', required=True, metavar='COMMAND')
    ls = sub.add_parser('list-sas', help='established IKE SAs and their Child SAs')
    ls.add_argument('--id', help='only this identity (TYPE:VALUE or a bare value)')
    ls.add_argument('--peer', metavar='ADDR', help="only this peer address")
    t = sub.add_parser('terminate', help='delete IKE SAs now (the peer gets a DELETE)')
    g = t.add_mutually_exclusive_group(required=True)
    g.add_argument('--id', help='every IKE SA of this identity')
    g.add_argument('--spi', help='the IKE SA with this responder SPI (hex)')
    r = sub.add_parser('reauth', help='ask clients to authenticate again (RFC 4478)')
    g = r.add_mutually_exclusive_group(required=True)
    g.add_argument('--id', help='every IKE SA of this identity')
    g.add_argument('--spi', help='the IKE SA with this responder SPI (hex)')
    g.add_argument('--all', action='store_true', help='every IKE SA')
    sub.add_parser('stats', help='counters summed over the shards')
    sub.add_parser('reload-keys', help='reload the ticket key file')
    sub.add_parser('reload-creds', help='reload the credentials file and the [ike] and [child] '
                                        'proposals of the config file; SAs of users kept stay, '
                                        "removed users' SAs are deleted")
    return p


def main(argv):
    args = parser().parse_args(argv)
    try:
        tel = Telemetry(find_socket(args.file_prefix))
        try:
            if args.command == 'list-sas':
                return cmd_list_sas(tel, args)
            if args.command == 'stats':
                return cmd_stats(tel, args)
            if args.command == 'terminate':
                return cmd_select(tel, args, '/ikefarm/terminate', 'terminated')
            if args.command == 'reauth':
                return cmd_select(tel, args, '/ikefarm/reauth', 'asked')
            if args.command == 'reload-keys':
                return cmd_reload(tel, args, '/ikefarm/ticket_keys_reload')
            if args.command == 'reload-creds':
                return cmd_reload(tel, args, '/ikefarm/creds_reload')
        finally:
            tel.close()
    except CtlError as e:
        sys.stderr.write('ikefarmctl: %s\n' % e)
        return 1
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
