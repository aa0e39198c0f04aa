"""Drives the vendors' official Python SDKs against a running truebind emulator.

Usage: official_sdks.py HOST:PORT ACCESS_KEY_ID ACCESS_KEY_SECRET

Both SDKs are pointed at HOST:PORT over plain HTTP (the emulator listens on
127.0.0.1 only); proxies are ignored. The emulator holds a port `port-sdk`
(RUNNING) and circuits `pc-enabled` (Enabled) and `pc-terminated` (Terminated).
Each check prints one line; any failure raises, so the exit status is non-zero.
"""

import os
import sys

os.environ["NO_PROXY"] = os.environ["no_proxy"] = "*"

from alibabacloud_tea_openapi import utils_models as open_api_models
from alibabacloud_vpc20160428 import models as vpc_models
from alibabacloud_vpc20160428.client import Client as VpcClient
from zenlayercloud.common.config import Config as ZenlayerConfig
from zenlayercloud.common.credential import Credential
from zenlayercloud.common.excpetion.zenlayer_cloud_sdk_exception import ZenlayerCloudSdkException
from zenlayercloud.sdn.v20260401 import models as sdn_models
from zenlayercloud.sdn.v20260401.sdn_client import SdnClient


def check(what, condition, detail):
    if not condition:
        raise AssertionError(f"{what}: {detail}")
    print(f"ok: {what}")


def zenlayer(endpoint, key_id, secret):
    config = ZenlayerConfig(scheme="http", domain=endpoint, rate_limit_max_retries=0)
    client = SdnClient(Credential(key_id, secret), config)
    ports = client.DescribePorts(sdn_models.DescribePortsRequest())
    ids = [p.portId for p in ports.dataSet]
    check("zenlayer DescribePorts", ports.totalCount == 1 and ids == ["port-sdk"], ids)

    request = sdn_models.CreatePrivateConnectRequest()
    request._deserialize({
        "privateConnectName": "from-the-python-sdk",
        "bandwidthMbps": 10,
        "endpointA": {"portId": "port-a", "vlanId": 1001},
        "endpointZ": {"portId": "port-z", "vlanId": 2001},
    })
    created = client.CreatePrivateConnect(request)
    check("zenlayer CreatePrivateConnect", bool(created.privateConnectId), created.privateConnectId)

    wrong = SdnClient(Credential(key_id, secret + "-wrong"), config)
    try:
        wrong.DescribePorts(sdn_models.DescribePortsRequest())
        raise AssertionError("zenlayer: a wrong secret was accepted")
    except ZenlayerCloudSdkException as e:
        check("zenlayer wrong secret", e.code == "AUTHFAILURE_SIGNATURE_FAILURE", e.code)


def vpc_client(endpoint, key_id, secret, algorithm):
    config = open_api_models.Config(
        access_key_id=key_id,
        access_key_secret=secret,
        endpoint=endpoint,
        protocol="http",
        region_id="cn-hangzhou",
        signature_algorithm=algorithm,
    )
    return VpcClient(config)


def alibaba(endpoint, key_id, secret, algorithm):
    name = f"alibaba ({algorithm or 'ACS3-HMAC-SHA256'})"
    client = vpc_client(endpoint, key_id, secret, algorithm)
    request = vpc_models.DescribePhysicalConnectionsRequest(
        region_id="cn-hangzhou",
        filter=[vpc_models.DescribePhysicalConnectionsRequestFilter(key="PhysicalConnectionId", value=["pc-enabled"])],
    )
    body = client.describe_physical_connections(request).body
    found = [(c.physical_connection_id, c.status) for c in body.physical_connection_set.physical_connection_type]
    check(f"{name} DescribePhysicalConnections", found == [("pc-enabled", "Enabled")] and body.total_count == 1, found)

    try:
        client.delete_physical_connection(vpc_models.DeletePhysicalConnectionRequest(region_id="cn-hangzhou", physical_connection_id="pc-enabled"))
        raise AssertionError(f"{name}: an Enabled circuit was deleted")
    except AssertionError:
        raise
    except Exception as e:
        check(f"{name} DeletePhysicalConnection precondition", getattr(e, "code", None) == "Forbidden.NotInAllowDeleteStatus", e)

    wrong = vpc_client(endpoint, key_id, secret + "-wrong", algorithm)
    try:
        wrong.describe_physical_connections(vpc_models.DescribePhysicalConnectionsRequest(region_id="cn-hangzhou"))
        raise AssertionError(f"{name}: a wrong secret was accepted")
    except AssertionError:
        raise
    except Exception as e:
        check(f"{name} wrong secret", getattr(e, "code", None) == "SignatureDoesNotMatch", e)


def main():
    endpoint, key_id, secret = sys.argv[1:4]
    zenlayer(endpoint, key_id, secret)
    alibaba(endpoint, key_id, secret, None)
    alibaba(endpoint, key_id, secret, "v2")
    client = vpc_client(endpoint, key_id, secret, None)
    client.delete_physical_connection(vpc_models.DeletePhysicalConnectionRequest(region_id="cn-hangzhou", physical_connection_id="pc-terminated"))
    print("ok: alibaba DeletePhysicalConnection of a Terminated circuit")


main()
