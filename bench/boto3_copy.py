#!/usr/bin/env python3
"""The peer of the small-files run: what people write instead of a service. Streams each URL
with requests into boto3's upload_fileobj, 4 threads. Usage: boto3_copy.py ENDPOINT PREFIX URL..."""
import sys
from concurrent.futures import ThreadPoolExecutor

import boto3
import requests
from botocore.config import Config

endpoint, prefix, urls = sys.argv[1], sys.argv[2], sys.argv[3:]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="local-identity",
                  aws_secret_access_key="local-credential",
                  config=Config(s3={"addressing_style": "path"}, request_checksum_calculation="when_required",
                                response_checksum_validation="when_required"))


def copy(i_url):
    i, url = i_url
    with requests.get(url, stream=True, timeout=60) as r:
        r.raise_for_status()
        s3.upload_fileobj(r.raw, "vod", f"{prefix}/f{i}.mp4")


with ThreadPoolExecutor(max_workers=4) as pool:
    list(pool.map(copy, enumerate(urls)))
