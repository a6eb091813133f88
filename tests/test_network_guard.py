import socket

import pytest

from tests.helpers.network import RealNetworkCall


def test_real_network_is_refused() -> None:
    with pytest.raises(RealNetworkCall):
        socket.create_connection(("192.0.2.1", 443), timeout=0.1)


def test_moto_server_answers_on_loopback(moto: str) -> None:
    import boto3

    s3 = boto3.client("s3", endpoint_url=moto)
    s3.create_bucket(Bucket="probe")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["probe"]
