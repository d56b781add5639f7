"""Shared by the python3-grpcio (gRPC C-core) interop peers: the grpc.testing protos and flags.

The message classes are built at runtime from a FileDescriptorSet that protoc (from the
Grpc.Tools NuGet package the C# build restores) makes of Tests/Protos: python gencode from
that newer protoc would refuse Debian's older protobuf runtime, a descriptor set does not.
Run with /usr/bin/python3: Debian's python3-grpcio and python3-protobuf live there only.
"""
import glob
import os
import re
import subprocess
import tempfile

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
TEST_PROTOS = os.path.join(REPO, 'Tests', 'Protos')
TEST_PROTO = 'grpc/testing/test.proto'

TEST_SERVICE = 'grpc.testing.TestService'
UNIMPLEMENTED_SERVICE = 'grpc.testing.UnimplementedService'


def _version_key(path):
    version = path.split(os.sep)[-4]  # .../grpc.tools/<version>/tools/linux_x64/protoc
    return tuple(int(part) if part.isdigit() else 0 for part in re.split(r'[.-]', version))


def find_protoc():
    """$PROTOC, else the newest protoc of the Grpc.Tools package in the NuGet cache."""
    if os.environ.get('PROTOC'):
        return os.environ['PROTOC']
    roots = [os.environ.get('NUGET_PACKAGES'), os.path.expanduser('~/.nuget/packages')]
    candidates = [path for root in roots if root
                  for path in glob.glob(os.path.join(root, 'grpc.tools', '*', 'tools', 'linux_x64', 'protoc'))]
    if not candidates:
        raise RuntimeError('protoc not found: restore the C# projects (Grpc.Tools) or set PROTOC')
    return max(candidates, key=_version_key)


def _descriptor_set(proto, include_dir):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'descriptors.pb')
        subprocess.run([find_protoc(), f'--proto_path={include_dir}', f'--descriptor_set_out={out}',
                        '--include_imports', proto], check=True, capture_output=True, text=True)
        with open(out, 'rb') as f:
            return descriptor_pb2.FileDescriptorSet.FromString(f.read())


class Protos:
    """Message classes of package grpc.testing, by short name: protos.SimpleRequest(...)."""

    def __init__(self):
        self.pool = descriptor_pool.DescriptorPool()
        for file in _descriptor_set(TEST_PROTO, TEST_PROTOS).file:
            self.pool.Add(file)
        factory = message_factory.MessageFactory(self.pool)
        package = self.pool.FindFileByName(TEST_PROTO).package
        for name in ('Empty', 'Payload', 'EchoStatus', 'SimpleRequest', 'SimpleResponse', 'StreamingInputCallRequest',
                     'StreamingInputCallResponse', 'StreamingOutputCallRequest', 'StreamingOutputCallResponse'):
            setattr(self, name, factory.GetPrototype(self.pool.FindMessageTypeByName(f'{package}.{name}')))
        self.COMPRESSABLE = self.pool.FindEnumTypeByName(f'{package}.PayloadType').values_by_name['COMPRESSABLE'].number


def parse_flags(argv, defaults):
    """The interop-style --name=value flags; an unknown flag is an error, so typos fail loudly."""
    flags = dict(defaults)
    for arg in argv:
        match = re.fullmatch(r'--([a-z_]+)=(.*)', arg, re.S)
        if not match or match.group(1) not in defaults:
            expected = ' '.join(f'--{name}=' for name in defaults)
            raise SystemExit(f'unknown argument {arg}; expected {expected}')
        flags[match.group(1)] = match.group(2)
    return flags
