"""The real clients against `regsim serve`: the current Python SDKs with both signature
schemes, the legacy SDK, dns-lexicon's aliyun provider and certbot-dns-aliyun's client.

Run by tests/it/serve.rs (which starts the server on a free port) as
`python -m unittest tests/clients/test_clients.py` with REGSIM_ENDPOINT=127.0.0.1:PORT,
against tests/clients/world.yaml. Each test leaves the DNS zones as it found them.
"""

import base64
import hashlib
import hmac
import json
import os
import unittest
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

from alibabacloud_alidns20150109 import models as dns_models
from alibabacloud_alidns20150109.client import Client as SdkDnsClient
from alibabacloud_domain20180129 import models as domain_models
from alibabacloud_domain20180129.client import Client as SdkDomainClient
from alibabacloud_tea_openapi import models as open_api_models
from Tea.exceptions import TeaException
from Tea.model import TeaModel

# Fields of the SDKs' response models that a response may leave out, by model class:
# the API sends them only in some cases (PunyCode for internationalised names, Priority
# for MX records), or regsim has nothing behind them (said why in each line).
OPTIONAL = {
    # Alidns: the free edition has no DNS instance; regsim has no resource groups;
    # PunyCode is for internationalised names only; Priority for MX records only.
    "DescribeDomainsResponseBodyDomainsDomain": {
        "instance_id", "instance_end_time", "resource_group_id", "puny_code"},
    "DescribeDomainInfoResponseBody": {
        "instance_id", "resource_group_id", "puny_code", "record_line_tree_json"},
    "AddDomainResponseBody": {"puny_code"},
    "DescribeDomainRecordsResponseBodyDomainRecordsRecord": {"priority"},
    "DescribeSubDomainRecordsResponseBodyDomainRecordsRecord": {"priority"},
    # Domain: regsim keeps no postal address, no Chinese-language copy of the registrant,
    # no telephone split into area and extension, no profile change time, no .cn name
    # review and no registrant change under review; the identity document only once
    # submitted.
    "QueryRegistrantProfilesResponseBodyRegistrantProfilesRegistrantProfile": {
        "address", "city", "province", "postal_code", "zh_address", "zh_city",
        "zh_province", "zh_registrant_name", "zh_registrant_organization", "params",
        "tel_area", "tel_ext", "update_time", "credential_no", "credential_type"},
    "QueryContactInfoResponseBody": {
        "address", "city", "province", "postal_code", "zh_address", "zh_city",
        "zh_province", "zh_registrant_name", "zh_registrant_organization", "tel_area",
        "tel_ext"},
    "QueryDomainListResponseBodyDataDomain": {"chgholder_status", "product_id"},
    # regsim has no numeric codes or business types for task kinds.
    "QueryTaskListResponseBodyDataTaskInfo": {"task_biz_type", "task_type_code"},
    # regsim keeps the identity document's kind and number, not its image, nor when
    # it was submitted.
    "QueryRegistrantProfileRealNameVerificationInfoResponseBody": {
        "identity_credential", "identity_credential_url", "submission_date",
        "modification_date"},
    "QueryDomainRealNameVerificationInfoResponseBody": {
        "identity_credential", "identity_credential_url", "submission_date"},
    # A pending transfer in has no result yet; regsim has no progress-bar stages.
    "QueryTransferInListResponseBodyDataTransferInInfo": {
        "result_code", "result_date", "result_date_long", "progress_bar_type"},
    # regsim does not keep when a transfer code was last sent.
    "QueryTransferOutInfoResponseBody": {"transfer_authorization_code_send_date"},
    "QueryDomainByDomainNameResponseBody": {
        "zh_registrant_name", "zh_registrant_organization", "cnnic_privacy_service_status",
        "domain_name_verification_status", "registrant_updating_status"},
}


def unset_fields(model, path=""):
    """Every field of an SDK response model (recursively) that the response left unset,
    as dotted paths, leaving out those OPTIONAL allows."""
    out = []
    allowed = OPTIONAL.get(type(model).__name__, ())
    for key, value in vars(model).items():
        if key.startswith("_"):
            continue
        where = f"{path}.{key}" if path else key
        if value is None:
            if key not in allowed:
                out.append(f"{type(model).__name__}.{key} ({where})")
        elif isinstance(value, TeaModel):
            out += unset_fields(value, where)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, TeaModel):
                    out += unset_fields(item, f"{where}[{i}]")
    return out


def checked(sdk_client):
    """The SDK's client, with every response checked for fields its model exposes
    but the response left unset: each call asserts that regsim answers every field."""

    class Checked(sdk_client):
        def __getattribute__(self, name):
            attr = super().__getattribute__(name)
            if name.startswith("_") or name.endswith(("_with_options", "_async")) \
                    or not callable(attr) or name in ("call_api", "do_rpcrequest", "do_roarequest",
                                                      "do_request", "execute"):
                return attr

            def call(*args, **kwargs):
                resp = attr(*args, **kwargs)
                if isinstance(resp, TeaModel) and getattr(resp, "body", None) is not None:
                    missing = unset_fields(resp.body)
                    if missing:
                        raise AssertionError(f"{name}: unset response fields: {missing}")
                return resp
            return call

    return Checked


DnsClient = checked(SdkDnsClient)
DomainClient = checked(SdkDomainClient)

ENDPOINT = os.environ["REGSIM_ENDPOINT"]
ALICE = ("aliceKeyId", "aliceKeySecret")
OPS = ("opsKeyId", "opsKeySecret")
VIEWER = ("viewerKeyId", "viewerKeySecret")
BOB = ("bobKeyId", "bobKeySecret")


def config(key, v2=False):
    c = open_api_models.Config(
        access_key_id=key[0], access_key_secret=key[1], endpoint=ENDPOINT, protocol="http"
    )
    if v2:
        c.signature_algorithm = "v2"
    return c


def control(what, **params):
    url = f"http://{ENDPOINT}/_regsim/{what}?" + urllib.parse.urlencode(params)
    req = urllib.request.Request(url, method="POST" if what.startswith("advance") else "GET")
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


def resolve(name, rtype):
    return control("resolve", name=name, type=rtype)


def raw(params, key=ALICE, method="GET", timestamp=None, nonce=None, secret=None):
    """A hand-signed RPC (HMAC-SHA1) request, as the DNS tools make them; returns
    (status, body)."""
    p = {
        "Format": "JSON",
        "Version": "2015-01-09",
        "AccessKeyId": key[0],
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "SignatureNonce": nonce or str(uuid.uuid4()),
        "Timestamp": timestamp or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    p.update(params)
    enc = lambda s: urllib.parse.quote(str(s), safe="~")
    joined = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(p.items()))
    to_sign = f"{method}&%2F&{enc(joined)}"
    digest = hmac.new(((secret or key[1]) + "&").encode(), to_sign.encode(), hashlib.sha1).digest()
    p["Signature"] = base64.b64encode(digest).decode()
    url = f"http://{ENDPOINT}/?" + urllib.parse.urlencode(p)
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method)) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


class AlidnsSdk(unittest.TestCase):
    """The current Alidns SDK, signing with ACS3-HMAC-SHA256 and with HMAC-SHA1 (v2)."""

    def lifecycle(self, v2):
        dns = DnsClient(config(ALICE, v2))
        domains = dns.describe_domains(dns_models.DescribeDomainsRequest(key_word="example"))
        self.assertEqual(domains.status_code, 200)
        body = domains.body
        self.assertEqual(body.total_count, 1)
        self.assertEqual(body.page_number, 1)
        d = body.domains.domain[0]
        self.assertEqual(d.domain_name, "example.com")
        self.assertTrue(d.ali_domain)
        self.assertEqual(d.dns_servers.dns_server, ["dns1.hichina.com", "dns2.hichina.com"])
        self.assertTrue(body.request_id)

        info = dns.describe_domain_info(
            dns_models.DescribeDomainInfoRequest(domain_name="example.com")
        ).body
        self.assertEqual(info.domain_name, "example.com")
        self.assertEqual(info.domain_id, d.domain_id)
        self.assertEqual(info.min_ttl, 60)

        added = dns.add_domain_record(
            dns_models.AddDomainRecordRequest(
                domain_name="example.com", rr="www", type="A", value="192.0.2.10", ttl=600
            )
        ).body
        rid = added.record_id
        self.assertTrue(rid.isdigit())
        self.assertEqual(resolve("www.example.com", "A")["answers"][0]["value"], "192.0.2.10")

        listed = dns.describe_domain_records(
            dns_models.DescribeDomainRecordsRequest(
                domain_name="example.com", rrkey_word="ww", type_key_word="A"
            )
        ).body
        self.assertEqual(listed.total_count, 1)
        rec = listed.domain_records.record[0]
        self.assertEqual(
            (rec.record_id, rec.rr, rec.type, rec.value, rec.ttl, rec.line, rec.status, rec.locked),
            (rid, "www", "A", "192.0.2.10", 600, "default", "ENABLE", False),
        )

        # The same record again: the SDK raises with the API's code.
        with self.assertRaises(TeaException) as e:
            dns.add_domain_record(
                dns_models.AddDomainRecordRequest(
                    domain_name="example.com", rr="www", type="A", value="192.0.2.10"
                )
            )
        self.assertEqual(e.exception.code, "DomainRecordDuplicate")
        self.assertEqual(e.exception.data["statusCode"], 400)

        dns.update_domain_record(
            dns_models.UpdateDomainRecordRequest(
                record_id=rid, rr="www", type="A", value="192.0.2.11", ttl=300
            )
        )
        self.assertEqual(
            resolve("www.example.com", "A")["answers"],
            [{"name": "www.example.com", "type": "A", "ttl": 300, "value": "192.0.2.11"}],
        )
        paused = dns.set_domain_record_status(
            dns_models.SetDomainRecordStatusRequest(record_id=rid, status="DISABLE")).body
        self.assertEqual((paused.record_id, paused.status), (rid, "DISABLE"))
        self.assertEqual(resolve("www.example.com", "A")["rcode"], "NXDOMAIN")
        off = dns.describe_domain_records(dns_models.DescribeDomainRecordsRequest(
            domain_name="example.com", status="DISABLE")).body
        self.assertEqual([(r.record_id, r.status) for r in off.domain_records.record], [(rid, "DISABLE")])
        dns.set_domain_record_status(
            dns_models.SetDomainRecordStatusRequest(record_id=rid, status="ENABLE"))
        sub = dns.describe_sub_domain_records(
            dns_models.DescribeSubDomainRecordsRequest(sub_domain="www.example.com")
        ).body
        self.assertEqual([r.value for r in sub.domain_records.record], ["192.0.2.11"])

        deleted = dns.delete_domain_record(dns_models.DeleteDomainRecordRequest(record_id=rid))
        self.assertEqual(deleted.body.record_id, rid)
        self.assertEqual(resolve("www.example.com", "A")["rcode"], "NXDOMAIN")

    def test_acs3(self):
        self.lifecycle(v2=False)

    def test_delete_and_add_domain(self):
        """DeleteDomain takes shortlived.com out of DNS hosting (its records go, its
        name servers answer nothing for it); AddDomain brings it back, empty."""
        dns = DnsClient(config(ALICE))
        name = "shortlived.com"
        dns.add_domain_record(dns_models.AddDomainRecordRequest(
            domain_name=name, rr="www", type="A", value="192.0.2.20"))
        self.assertEqual(resolve(f"www.{name}", "A")["rcode"], "NOERROR")
        gone = dns.delete_domain(dns_models.DeleteDomainRequest(domain_name=name)).body
        self.assertEqual(gone.domain_name, name)
        self.assertEqual(resolve(f"www.{name}", "A")["rcode"], "SERVFAIL")
        listed = dns.describe_domains(dns_models.DescribeDomainsRequest(key_word=name)).body
        self.assertEqual(listed.total_count, 0)
        with self.assertRaises(TeaException) as e:
            dns.describe_domain_records(dns_models.DescribeDomainRecordsRequest(domain_name=name))
        self.assertEqual(e.exception.code, "InvalidDomainName.NoExist")
        with self.assertRaises(TeaException) as e:
            dns.delete_domain(dns_models.DeleteDomainRequest(domain_name=name))
        self.assertEqual(e.exception.code, "InvalidDomainName.NoExist")

        added = dns.add_domain(dns_models.AddDomainRequest(domain_name=name)).body
        self.assertEqual((added.domain_name, added.group_id), (name, ""))
        self.assertEqual(added.dns_servers.dns_server, ["dns1.hichina.com", "dns2.hichina.com"])
        info = dns.describe_domain_info(
            dns_models.DescribeDomainInfoRequest(domain_name=name)).body
        self.assertEqual(info.domain_id, added.domain_id)
        records = dns.describe_domain_records(
            dns_models.DescribeDomainRecordsRequest(domain_name=name)).body
        self.assertEqual(records.total_count, 0)
        self.assertEqual(resolve(f"www.{name}", "A")["rcode"], "NXDOMAIN")

    def test_hmac_sha1(self):
        self.lifecycle(v2=True)

    def test_errors_arrive_as_typed_exceptions(self):
        dns = DnsClient(config(ALICE))
        cases = [
            (lambda: dns.describe_domain_info(
                dns_models.DescribeDomainInfoRequest(domain_name="nothing-here.com")),
             "InvalidDomainName.NoExist", 400),
            (lambda: dns.describe_domain_records(
                dns_models.DescribeDomainRecordsRequest(domain_name="bobs.net")),
             "IncorrectDomainUser", 400),
            (lambda: dns.add_domain_record(
                dns_models.AddDomainRecordRequest(domain_name="example.com", rr="x", type="A")),
             "MissingParameter", 400),
            (lambda: dns.add_domain_record(
                dns_models.AddDomainRecordRequest(
                    domain_name="example.com", rr="@", type="CNAME", value="other.net")),
             "DomainRecordConflict", 400),
            (lambda: dns.delete_domain_record(
                dns_models.DeleteDomainRecordRequest(record_id="12345")),
             "DomainRecordNotBelongToUser", 400),
            (lambda: dns.add_domain(dns_models.AddDomainRequest(domain_name="example.com")),
             "InvalidDomainName.Duplicate", 400),
            (lambda: dns.add_domain(dns_models.AddDomainRequest(domain_name="not-registered.com")),
             "InvalidDomainName.NoExist", 400),
            (lambda: dns.delete_domain(dns_models.DeleteDomainRequest(domain_name="bobs.net")),
             "IncorrectDomainUser", 400),
            (lambda: dns.describe_domain_ns(dns_models.DescribeDomainNsRequest(
                domain_name="example.com")),
             "UnsupportedOperation", 400),
            (lambda: DnsClient(config(("noSuchKey", "x"))).describe_domains(
                dns_models.DescribeDomainsRequest()),
             "InvalidAccessKeyId.NotFound", 404),
            (lambda: DnsClient(config((ALICE[0], "wrong"))).describe_domains(
                dns_models.DescribeDomainsRequest()),
             "SignatureDoesNotMatch", 400),
            (lambda: DnsClient(config((ALICE[0], "wrong"), v2=True)).describe_domains(
                dns_models.DescribeDomainsRequest()),
             "SignatureDoesNotMatch", 400),
        ]
        for call, code, status in cases:
            with self.subTest(code=code), self.assertRaises(TeaException) as e:
                call()
            self.assertEqual(e.exception.code, code)
            self.assertEqual(e.exception.data["statusCode"], status)
            self.assertTrue(e.exception.message)

    def test_ram_users(self):
        # ops may change DNS; viewer may read but not change it.
        ops = DnsClient(config(OPS))
        rid = ops.add_domain_record(
            dns_models.AddDomainRecordRequest(
                domain_name="example.com", rr="ops", type="TXT", value="by ops")
        ).body.record_id
        viewer = DnsClient(config(VIEWER))
        listed = viewer.describe_domain_records(
            dns_models.DescribeDomainRecordsRequest(domain_name="example.com", rrkey_word="ops")
        ).body
        self.assertEqual(listed.total_count, 1)
        with self.assertRaises(TeaException) as e:
            viewer.delete_domain_record(dns_models.DeleteDomainRecordRequest(record_id=rid))
        self.assertEqual((e.exception.code, e.exception.data["statusCode"]), ("Forbidden.RAM", 403))
        # Another account's key cannot touch alice's record.
        with self.assertRaises(TeaException) as e:
            DnsClient(config(BOB)).delete_domain_record(
                dns_models.DeleteDomainRecordRequest(record_id=rid))
        self.assertEqual(e.exception.code, "IncorrectDomainUser")
        ops.delete_domain_record(dns_models.DeleteDomainRecordRequest(record_id=rid))


class DomainSdk(unittest.TestCase):
    """The current Domain SDK: the check, the list and the details, and the clock."""

    def test_check_list_and_details(self):
        for v2 in (False, True):
            client = DomainClient(config(ALICE, v2))
            taken = client.check_domain(
                domain_models.CheckDomainRequest(domain_name="example.com")).body
            self.assertEqual((taken.avail, taken.domain_name), ("0", "example.com"))
            free = client.check_domain(
                domain_models.CheckDomainRequest(domain_name="brand-new-name.com")).body
            self.assertEqual(free.avail, "1")
            self.assertEqual(free.premium, "false")
            self.assertEqual(free.static_price_info.price_info[0].action, "activate")
            self.assertEqual(free.static_price_info.price_info[0].money, 85.0)

            page = client.query_domain_list(
                domain_models.QueryDomainListRequest(page_num=1, page_size=1)).body
            self.assertEqual((page.total_item_num, page.total_page_num), (2, 2))
            self.assertEqual((page.pre_page, page.next_page), (False, True))
            first = page.data.domain[0]
            self.assertEqual(first.domain_name, "example.com")
            self.assertEqual(first.expiration_date, "2027-03-01 00:00:00")
            self.assertEqual(first.expiration_date_long, 1803859200000)
            self.assertEqual(first.dns_list.dns_list, ["dns1.hichina.com", "dns2.hichina.com"])

            one = client.query_domain_by_domain_name(
                domain_models.QueryDomainByDomainNameRequest(domain_name="example.com")).body
            self.assertEqual(one.registrant_name, "Alice Li")
            self.assertEqual(one.real_name_status, "SUCCEED")
            self.assertEqual(one.dns_list.dns, ["dns1.hichina.com", "dns2.hichina.com"])
            self.assertEqual((one.update_prohibition_lock, one.transfer_prohibition_lock),
                             ("CLOSE", "CLOSE"))

            with self.assertRaises(TeaException) as e:
                client.query_domain_by_domain_name(
                    domain_models.QueryDomainByDomainNameRequest(domain_name="bobs.net"))
            self.assertEqual(e.exception.code, "DomainNotExist")
            with self.assertRaises(TeaException) as e:
                client.query_dsrecord(domain_models.QueryDSRecordRequest(domain_name="example.com"))
            self.assertEqual(e.exception.code, "UnsupportedOperation")
            self.assertIn("QueryDSRecord", e.exception.message)

    def test_the_clock_moves_and_signatures_still_hold(self):
        client = DomainClient(config(ALICE))
        query = lambda: client.query_domain_by_domain_name(
            domain_models.QueryDomainByDomainNameRequest(domain_name="shortlived.com")).body
        self.assertEqual(control("now")["now"], "2026-01-01T00:00:00Z")
        normal = query()
        self.assertEqual((normal.domain_status, normal.expiration_curr_date_diff), ("3", 9))
        # Ten days past its expiry it is in grace; the real clock signs as before.
        self.assertEqual(control("advance_to", time="2026-01-20")["now"], "2026-01-20T00:00:00Z")
        grace = query()
        self.assertEqual(grace.domain_status, "1")
        self.assertEqual(grace.expiration_date_status, "2")
        self.assertEqual(grace.expiration_curr_date_diff, -10)


class LegacySdk(unittest.TestCase):
    """aliyun-python-sdk-core with aliyun-python-sdk-alidns (HMAC-SHA1, form POST)."""

    def test_records(self):
        from aliyunsdkcore.acs_exception.exceptions import ServerException
        from aliyunsdkcore.client import AcsClient
        from aliyunsdkalidns.request.v20150109 import (
            AddDomainRecordRequest, DeleteDomainRecordRequest, DescribeDomainRecordsRequest)

        host, port = ENDPOINT.split(":")
        client = AcsClient(ALICE[0], ALICE[1], "cn-hangzhou", port=int(port))
        client.add_endpoint("cn-hangzhou", "Alidns", host)
        add = AddDomainRecordRequest.AddDomainRecordRequest()
        add.set_DomainName("example.com")
        add.set_RR("legacy")
        add.set_Type("MX")
        add.set_Value("mx.example.net")
        add.set_Priority(5)
        rid = json.loads(client.do_action_with_exception(add))["RecordId"]
        self.assertEqual(resolve("legacy.example.com", "MX")["answers"][0]["value"], "5 mx.example.net")
        listed = DescribeDomainRecordsRequest.DescribeDomainRecordsRequest()
        listed.set_DomainName("example.com")
        listed.set_TypeKeyWord("MX")
        records = json.loads(client.do_action_with_exception(listed))["DomainRecords"]["Record"]
        self.assertEqual([(r["RR"], r["Priority"]) for r in records], [("legacy", 5)])
        with self.assertRaises(ServerException) as e:
            client.do_action_with_exception(add)
        self.assertEqual(e.exception.get_error_code(), "DomainRecordDuplicate")
        delete = DeleteDomainRecordRequest.DeleteDomainRecordRequest()
        delete.set_RecordId(rid)
        client.do_action_with_exception(delete)


class LegacyDomainSdk(unittest.TestCase):
    """aliyun-python-sdk-core with aliyun-python-sdk-domain: a lifecycle without moving
    the clock (check, profile, register, lock, renew, transfer code, delete)."""

    def test_lifecycle(self):
        from aliyunsdkcore.acs_exception.exceptions import ServerException
        from aliyunsdkcore.client import AcsClient
        from aliyunsdkdomain.request.v20180129 import (
            CheckDomainRequest, QueryDomainByDomainNameRequest, QueryTaskDetailListRequest,
            SaveRegistrantProfileRequest, SaveSingleTaskForCreatingOrderActivateRequest,
            SaveSingleTaskForCreatingOrderRenewRequest,
            SaveSingleTaskForQueryingTransferAuthorizationCodeRequest,
            SaveSingleTaskForUpdateProhibitionLockRequest, SaveTaskForSubmittingDomainDeleteRequest)

        host, port = ENDPOINT.split(":")
        client = AcsClient(ALICE[0], ALICE[1], "cn-hangzhou", port=int(port))

        def call(request, **fields):
            request.set_endpoint(host)
            for key, value in fields.items():
                getattr(request, f"set_{key}")(value)
            return json.loads(client.do_action_with_exception(request))

        def done(task_no):
            detail = call(QueryTaskDetailListRequest.QueryTaskDetailListRequest(),
                          TaskNo=task_no, PageNum=1, PageSize=10)
            return detail["Data"]["TaskDetail"][0]

        name = "legacy-life.com"
        check = call(CheckDomainRequest.CheckDomainRequest(), DomainName=name)
        self.assertEqual((check["Avail"], check["DomainName"]), ("1", name))
        profile = call(SaveRegistrantProfileRequest.SaveRegistrantProfileRequest(),
                       RegistrantName="Legacy Lin", Email="lin@example.com", Country="CN",
                       TelArea="86", Telephone="13700137000")["RegistrantProfileId"]
        task = call(SaveSingleTaskForCreatingOrderActivateRequest
                    .SaveSingleTaskForCreatingOrderActivateRequest(),
                    DomainName=name, SubscriptionDuration=1, RegistrantProfileId=profile)
        self.assertEqual(done(task["TaskNo"])["TaskStatus"], "EXECUTE_SUCCESS")
        info = call(QueryDomainByDomainNameRequest.QueryDomainByDomainNameRequest(),
                    DomainName=name)
        self.assertEqual((info["RegistrantName"], info["DomainStatus"]), ("Legacy Lin", "3"))

        lock = call(SaveSingleTaskForUpdateProhibitionLockRequest
                    .SaveSingleTaskForUpdateProhibitionLockRequest(), DomainName=name, Status=True)
        self.assertEqual(done(lock["TaskNo"])["TaskStatus"], "EXECUTE_SUCCESS")
        renew = call(SaveSingleTaskForCreatingOrderRenewRequest
                     .SaveSingleTaskForCreatingOrderRenewRequest(),
                     DomainName=name, SubscriptionDuration=1,
                     CurrentExpirationDate=info["ExpirationDateLong"])
        self.assertEqual(done(renew["TaskNo"])["TaskStatus"], "EXECUTE_SUCCESS")
        after = call(QueryDomainByDomainNameRequest.QueryDomainByDomainNameRequest(),
                     DomainName=name)
        self.assertEqual(int(after["ExpirationDate"][:4]) - int(info["ExpirationDate"][:4]), 1)
        self.assertEqual(after["UpdateProhibitionLock"], "OPEN")
        code = call(SaveSingleTaskForQueryingTransferAuthorizationCodeRequest
                    .SaveSingleTaskForQueryingTransferAuthorizationCodeRequest(), DomainName=name)
        self.assertTrue(done(code["TaskNo"])["TaskResult"])

        # A renewal retried with the old expiry is refused at once, as ServerException.
        with self.assertRaises(ServerException) as e:
            call(SaveSingleTaskForCreatingOrderRenewRequest
                 .SaveSingleTaskForCreatingOrderRenewRequest(),
                 DomainName=name, SubscriptionDuration=1,
                 CurrentExpirationDate=info["ExpirationDateLong"])
        self.assertEqual(e.exception.get_error_code(), "ParameterIllegal")

        gone = call(SaveTaskForSubmittingDomainDeleteRequest
                    .SaveTaskForSubmittingDomainDeleteRequest(), InstanceId=after["InstanceId"])
        self.assertEqual(done(gone["TaskNo"])["TaskStatus"], "EXECUTE_SUCCESS")
        with self.assertRaises(ServerException) as e:
            call(QueryDomainByDomainNameRequest.QueryDomainByDomainNameRequest(), DomainName=name)
        self.assertEqual(e.exception.get_error_code(), "DomainNotExist")


class DnsTools(unittest.TestCase):
    """The DNS-01 challenge as dns-lexicon and certbot-dns-aliyun make it."""

    def test_lexicon(self):
        import lexicon._private.providers.aliyun as aliyun
        from lexicon.client import Client
        from lexicon.config import ConfigResolver

        aliyun.ALIYUN_DNS_API_ENDPOINT = f"http://{ENDPOINT}"
        def run(action, **more):
            cfg = ConfigResolver().with_dict({
                "provider_name": "aliyun", "action": action, "domain": "example.com",
                "type": "TXT", "name": "_acme-challenge", "content": "lexicon-token",
                "aliyun": {"auth_key_id": ALICE[0], "auth_secret": ALICE[1]}, **more})
            with Client(cfg) as ops:
                if action == "create":
                    return ops.create_record("TXT", "_acme-challenge", "lexicon-token")
                if action == "list":
                    return ops.list_records("TXT", "_acme-challenge")
                return ops.delete_record(None, "TXT", "_acme-challenge", "lexicon-token")
        self.assertTrue(run("create"))
        self.assertEqual(resolve("_acme-challenge.example.com", "TXT")["answers"][0]["value"],
                         "lexicon-token")
        listed = run("list")
        self.assertEqual([r["content"] for r in listed], ["lexicon-token"])
        self.assertTrue(run("delete"))
        self.assertEqual(resolve("_acme-challenge.example.com", "TXT")["rcode"], "NXDOMAIN")

    def test_certbot_dns_aliyun(self):
        import certbot_dns_aliyun.alidns as alidns
        alidns.API_ENDPOINT = f"http://{ENDPOINT}/"
        client = alidns.AliDNSClient(ALICE[0], ALICE[1])
        client.add_txt_record("example.com", "_acme-challenge.example.com", "certbot-token")
        self.assertEqual(resolve("_acme-challenge.example.com", "TXT")["answers"][0]["value"],
                         "certbot-token")
        client.del_txt_record("example.com", "_acme-challenge.example.com", "certbot-token")
        self.assertEqual(resolve("_acme-challenge.example.com", "TXT")["rcode"], "NXDOMAIN")


class Authentication(unittest.TestCase):
    """Replayed nonces and stale timestamps, hand-signed as the tools sign."""

    def test_nonce_and_timestamp(self):
        nonce = str(uuid.uuid4())
        ts = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        status, body = raw({"Action": "DescribeDomains"}, nonce=nonce, timestamp=ts)
        self.assertEqual(status, 200, body)
        status, body = raw({"Action": "DescribeDomains"}, nonce=nonce, timestamp=ts)
        self.assertEqual((status, body["Code"]), (400, "SignatureNonceUsed"))
        stale = (datetime.now(timezone.utc) - timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
        status, body = raw({"Action": "DescribeDomains"}, timestamp=stale)
        self.assertEqual((status, body["Code"]), (400, "InvalidTimeStamp.Expired"))
        # dns-lexicon's odd timestamp (offset and Z) is accepted.
        odd = datetime.now(timezone.utc).replace(microsecond=0).isoformat() + "Z"
        status, body = raw({"Action": "DescribeDomains"}, timestamp=odd)
        self.assertEqual(status, 200, body)
        status, body = raw({"Action": "NoSuchAction"})
        self.assertEqual((status, body["Code"]), (404, "InvalidAction.NotFound"))


if __name__ == "__main__":
    unittest.main()


class Lifecycle(unittest.TestCase):
    """A whole lifecycle through the Domain SDK's tasks, with the clock moved between:
    register, lock, renew, lapse into redemption, redeem, get a transfer code, delete.
    Runs last (the clock only moves forward)."""

    def detail(self, client, task_no):
        d = client.query_task_detail_list(domain_models.QueryTaskDetailListRequest(
            task_no=task_no, page_num=1, page_size=10)).body
        self.assertEqual(d.total_item_num, 1)
        return d.data.task_detail[0]

    def test_register_renew_redeem_delete(self):
        client = DomainClient(config(ALICE))
        name = "lifecycle-test.com"
        task = client.save_single_task_for_creating_order_activate(
            domain_models.SaveSingleTaskForCreatingOrderActivateRequest(
                domain_name=name, subscription_duration=1, registrant_profile_id="p1")).body
        self.assertTrue(task.task_no)
        done = self.detail(client, task.task_no)
        self.assertEqual((done.task_status, done.task_status_code, done.domain_name),
                         ("EXECUTE_SUCCESS", 2, name))
        info = client.query_domain_by_domain_name(
            domain_models.QueryDomainByDomainNameRequest(domain_name=name)).body
        self.assertEqual(done.task_result, info.expiration_date)
        self.assertEqual(info.registrant_name, "Alice Li")

        # Registering it again is accepted as a task that fails, with the reason.
        again = client.save_single_task_for_creating_order_activate(
            domain_models.SaveSingleTaskForCreatingOrderActivateRequest(
                domain_name=name, subscription_duration=1, registrant_profile_id="p1")).body
        failed = self.detail(client, again.task_no)
        self.assertEqual((failed.task_status, failed.task_status_code), ("EXECUTE_FAILURE", 3))
        self.assertEqual(failed.fail_reason, "already_registered")
        self.assertTrue(failed.error_msg)
        tasks = client.query_task_list(
            domain_models.QueryTaskListRequest(page_num=1, page_size=50)).body
        self.assertEqual(tasks.data.task_info[0].task_no, again.task_no, "newest first")

        lock = client.save_single_task_for_update_prohibition_lock(
            domain_models.SaveSingleTaskForUpdateProhibitionLockRequest(domain_name=name, status=True)).body
        self.assertEqual(self.detail(client, lock.task_no).task_status, "EXECUTE_SUCCESS")
        info = client.query_domain_by_domain_name(
            domain_models.QueryDomainByDomainNameRequest(domain_name=name)).body
        self.assertEqual(info.update_prohibition_lock, "OPEN")

        # Renew for two years: the expiry given must be the current one.
        with self.assertRaises(TeaException) as e:
            client.save_single_task_for_creating_order_renew(
                domain_models.SaveSingleTaskForCreatingOrderRenewRequest(
                    domain_name=name, subscription_duration=2, current_expiration_date=1))
        self.assertEqual(e.exception.code, "ParameterIllegal")
        renew = client.save_single_task_for_creating_order_renew(
            domain_models.SaveSingleTaskForCreatingOrderRenewRequest(
                domain_name=name, subscription_duration=2,
                current_expiration_date=info.expiration_date_long)).body
        renewed = self.detail(client, renew.task_no)
        self.assertEqual(renewed.task_status, "EXECUTE_SUCCESS")
        after = client.query_domain_by_domain_name(
            domain_models.QueryDomainByDomainNameRequest(domain_name=name)).body
        self.assertEqual(int(after.expiration_date[:4]) - int(info.expiration_date[:4]), 2)

        # Past expiry and grace (30 days): redemption; redeem it.
        expiry = after.expiration_date[:10]
        control("advance_to", time=expiry)
        control("advance", span="35d")
        lapsed = client.query_domain_by_domain_name(
            domain_models.QueryDomainByDomainNameRequest(domain_name=name)).body
        self.assertEqual(lapsed.domain_status, "2")
        redeem = client.save_single_task_for_creating_order_redeem(
            domain_models.SaveSingleTaskForCreatingOrderRedeemRequest(
                domain_name=name, current_expiration_date=lapsed.expiration_date_long)).body
        self.assertEqual(self.detail(client, redeem.task_no).task_status, "EXECUTE_SUCCESS")
        back = client.query_domain_by_domain_name(
            domain_models.QueryDomainByDomainNameRequest(domain_name=name)).body
        self.assertEqual(back.domain_status, "3")

        code = client.save_single_task_for_querying_transfer_authorization_code(
            domain_models.SaveSingleTaskForQueryingTransferAuthorizationCodeRequest(domain_name=name)).body
        self.assertTrue(self.detail(client, code.task_no).task_result)

        auto = client.setup_domain_auto_renew(domain_models.SetupDomainAutoRenewRequest(
            instance_id=back.instance_id, operation="OPEN")).body
        self.assertTrue(auto.result)
        listed = client.query_domain_list(domain_models.QueryDomainListRequest(
            page_num=1, page_size=10, domain_name="lifecycle")).body
        self.assertTrue(listed.data.domain[0].auto_renew_enabled)

        # Name servers: refused under the update lock (a failed task), set once it is off.
        # (The lapse lifted the lock set earlier: a domain in grace may be updated.)
        lock_task = lambda on: client.save_single_task_for_update_prohibition_lock(
            domain_models.SaveSingleTaskForUpdateProhibitionLockRequest(domain_name=name, status=on))
        lock_task(True)
        servers = ["ns1.example.net", "ns2.example.net"]
        dns_task = lambda: client.save_batch_task_for_modifying_domain_dns(
            domain_models.SaveBatchTaskForModifyingDomainDnsRequest(
                domain_name=[name], domain_name_server=servers, aliyun_dns=False)).body
        refused = self.detail(client, dns_task().task_no)
        self.assertEqual((refused.task_status, refused.fail_reason),
                         ("EXECUTE_FAILURE", "update_prohibited"))
        lock_task(False)
        self.assertEqual(self.detail(client, dns_task().task_no).task_status, "EXECUTE_SUCCESS")
        self.assertEqual(client.query_domain_by_domain_name(
            domain_models.QueryDomainByDomainNameRequest(domain_name=name)).body.dns_list.dns, servers)

        # Delete it by InstanceId.
        gone = client.save_task_for_submitting_domain_delete(
            domain_models.SaveTaskForSubmittingDomainDeleteRequest(instance_id=back.instance_id)).body
        self.assertEqual(self.detail(client, gone.task_no).task_status, "EXECUTE_SUCCESS")
        self.assertEqual(client.check_domain(
            domain_models.CheckDomainRequest(domain_name=name)).body.avail, "0",
            "a deleted name goes through redemption before it is free")


class Profiles(unittest.TestCase):
    """Registrant profiles and real-name verification through the Domain SDK: a profile
    made, submitted with its document, reviewed as the clock moves, then used to
    register. Runs after Lifecycle (the clock only moves forward)."""

    def test_profile_verification_and_registration(self):
        client = DomainClient(config(ALICE))
        made = client.save_registrant_profile(domain_models.SaveRegistrantProfileRequest(
            registrant_name="Wei Zhang", email="wei@example.com", country="CN",
            tel_area="86", telephone="13900139000")).body
        pid = made.registrant_profile_id
        self.assertIsInstance(pid, int)
        listed = client.query_registrant_profiles(domain_models.QueryRegistrantProfilesRequest(
            registrant_profile_id=pid)).body
        self.assertEqual(listed.total_item_num, 1)
        prof = listed.registrant_profiles.registrant_profile[0]
        self.assertEqual((prof.registrant_name, prof.real_name_status, prof.telephone),
                         ("Wei Zhang", "NONAUDIT", "+8613900139000"))

        submitted = client.save_registrant_profile_real_name_verification(
            domain_models.SaveRegistrantProfileRealNameVerificationRequest(
                registrant_profile_id=pid, identity_credential="aW1hZ2U=",
                identity_credential_no="110101199003070000", identity_credential_type="SFZ")).body
        self.assertEqual(submitted.registrant_profile_id, pid)
        info = client.query_registrant_profile_real_name_verification_info(
            domain_models.QueryRegistrantProfileRealNameVerificationInfoRequest(
                registrant_profile_id=pid)).body
        self.assertEqual((info.identity_credential_no, info.identity_credential_type),
                         ("110101199003070000", "SFZ"))
        status = lambda: client.query_registrant_profiles(
            domain_models.QueryRegistrantProfilesRequest(registrant_profile_id=pid)
        ).body.registrant_profiles.registrant_profile[0].real_name_status
        self.assertEqual(status(), "AUDITING")
        control("advance", span="14d")
        self.assertEqual(status(), "SUCCEED")

        name = "verified-profile.com"
        task = client.save_single_task_for_creating_order_activate(
            domain_models.SaveSingleTaskForCreatingOrderActivateRequest(
                domain_name=name, subscription_duration=1, registrant_profile_id=pid)).body
        detail = client.query_task_detail_list(domain_models.QueryTaskDetailListRequest(
            task_no=task.task_no, page_num=1, page_size=10)).body.data.task_detail[0]
        self.assertEqual(detail.task_status, "EXECUTE_SUCCESS")
        domain = client.query_domain_by_domain_name(
            domain_models.QueryDomainByDomainNameRequest(domain_name=name)).body
        self.assertEqual((domain.registrant_name, domain.real_name_status), ("Wei Zhang", "SUCCEED"))
        contact = client.query_contact_info(domain_models.QueryContactInfoRequest(
            domain_name=name, contact_type="registrant")).body
        self.assertEqual((contact.registrant_name, contact.email, contact.telephone),
                         ("Wei Zhang", "wei@example.com", "+8613900139000"))
        identity = client.query_domain_real_name_verification_info(
            domain_models.QueryDomainRealNameVerificationInfoRequest(domain_name=name)).body
        self.assertEqual((identity.domain_name, identity.identity_credential_type,
                          identity.identity_credential_no), (name, "SFZ", "110101199003070000"))

        with self.assertRaises(TeaException) as e:
            client.query_registrant_profiles(domain_models.QueryRegistrantProfilesRequest(
                registrant_profile_id=99999))
        self.assertEqual(e.exception.code, "RegistrantProfileNotExist")
        with self.assertRaises(TeaException) as e:
            client.save_registrant_profile_real_name_verification(
                domain_models.SaveRegistrantProfileRealNameVerificationRequest(
                    registrant_profile_id=pid, identity_credential="x",
                    identity_credential_no="110101199003070000", identity_credential_type="SFZ"))
        self.assertEqual(e.exception.code, "OperationDenied")
        self.assertIn("already_verified", e.exception.data["Recommend"])
        with self.assertRaises(TeaException) as e:
            client.save_registrant_profile(domain_models.SaveRegistrantProfileRequest(
                registrant_name="X", email="not-an-email", country="CN"))
        self.assertEqual(e.exception.code, "ParameterIllegal")

        # A profile a domain names cannot go; an unused one can.
        with self.assertRaises(TeaException) as e:
            client.delete_registrant_profile(domain_models.DeleteRegistrantProfileRequest(
                registrant_profile_id=pid))
        self.assertIn("profile_in_use", e.exception.data["Recommend"])
        spare = client.save_registrant_profile(domain_models.SaveRegistrantProfileRequest(
            registrant_name="Spare", email="spare@example.com", country="CN")).body.registrant_profile_id
        client.delete_registrant_profile(domain_models.DeleteRegistrantProfileRequest(
            registrant_profile_id=spare))
        with self.assertRaises(TeaException) as e:
            client.query_registrant_profiles(domain_models.QueryRegistrantProfilesRequest(
                registrant_profile_id=spare))
        self.assertEqual(e.exception.code, "RegistrantProfileNotExist")


class Transfers(unittest.TestCase):
    """A transfer in through the Domain SDK: the feasibility check, the order (five
    days pending on the simulated clock, then the domain is here), and a cancelled one.
    Runs last."""

    def test_transfer_in(self):
        client = DomainClient(config(ALICE))
        check = lambda code: client.check_transfer_in_feasibility(
            domain_models.CheckTransferInFeasibilityRequest(
                domain_name="coming-home.com", transfer_authorization_code=code)).body
        ok = check("Home-Code-1")
        self.assertTrue(ok.can_transfer, ok)
        bad = check("wrong")
        self.assertEqual((bad.can_transfer, bad.code), (False, "bad_auth_code"))
        here = client.check_transfer_in_feasibility(domain_models.CheckTransferInFeasibilityRequest(
            domain_name="verified-profile.com")).body
        self.assertEqual((here.can_transfer, here.code), (False, "already_at_home"))

        order = client.save_single_task_for_creating_order_transfer(
            domain_models.SaveSingleTaskForCreatingOrderTransferRequest(
                domain_name="coming-home.com", authorization_code="Home-Code-1")).body
        detail = client.query_task_detail_list(domain_models.QueryTaskDetailListRequest(
            task_no=order.task_no, page_num=1, page_size=10)).body.data.task_detail[0]
        self.assertEqual(detail.task_status, "EXECUTE_SUCCESS")
        self.assertTrue(detail.task_result, "when the transfer completes by itself")
        with self.assertRaises(TeaException) as e:
            client.query_domain_by_domain_name(
                domain_models.QueryDomainByDomainNameRequest(domain_name="coming-home.com"))
        self.assertEqual(e.exception.code, "DomainNotExist", "not here until it completes")
        control("advance", span="6d")
        home = client.query_domain_by_domain_name(
            domain_models.QueryDomainByDomainNameRequest(domain_name="coming-home.com")).body
        self.assertEqual(home.domain_name, "coming-home.com")

        client.save_single_task_for_creating_order_transfer(
            domain_models.SaveSingleTaskForCreatingOrderTransferRequest(
                domain_name="also-away.com", authorization_code="Away-Code-2"))
        pending = client.query_transfer_in_list(domain_models.QueryTransferInListRequest(
            page_num=1, page_size=10)).body
        self.assertEqual([(t.domain_name, t.simple_transfer_in_status)
                          for t in pending.data.transfer_in_info], [("also-away.com", "PENDING")])
        out = client.query_transfer_out_info(domain_models.QueryTransferOutInfoRequest(
            domain_name="coming-home.com")).body
        self.assertEqual(out.status, 0)
        cancel = client.save_single_task_for_canceling_transfer_in(
            domain_models.SaveSingleTaskForCancelingTransferInRequest(domain_name="also-away.com")).body
        self.assertEqual(client.query_task_detail_list(domain_models.QueryTaskDetailListRequest(
            task_no=cancel.task_no, page_num=1, page_size=10)).body.data.task_detail[0].task_status,
            "EXECUTE_SUCCESS")
        control("advance", span="6d")
        with self.assertRaises(TeaException):
            client.query_domain_by_domain_name(
                domain_models.QueryDomainByDomainNameRequest(domain_name="also-away.com"))
        self.assertTrue(control("ledger")["balanced"])
