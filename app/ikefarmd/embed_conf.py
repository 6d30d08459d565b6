#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Writes a C file that holds a text file as the string ifd_default_conf[],
# so the daemon carries config/ikefarm.conf and runs without any file.
import sys


def c_string(text):
    out = []
    for line in text.splitlines(keepends=True):
        esc = line.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')
        out.append('\t"%s"\n' % esc)
    return ''.join(out) or '\t""\n'


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, encoding='utf-8') as f:
        text = f.read()
    with open(dst, 'w', encoding='utf-8') as f:
        f.write('/* Generated from %s by embed_conf.py: do not edit. */\n' % src.split('/')[-1])
        f.write('#include "ifd_config.h"\n\n')
        f.write('const char ifd_default_conf[] =\n%s\t;\n' % c_string(text))


if __name__ == '__main__':
    main()
