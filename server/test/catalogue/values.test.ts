import * as assert from 'assert';
import { ValueContext } from '../../src/catalogue/types';
import { formatIPv6, parseIPv4, parseIPv6 } from '../../src/catalogue/addresses';
import { parseCUnsigned } from '../../src/catalogue/numbers';
import { closest } from '../../src/catalogue/suggest';
import { formatRate, hostList, parsePortRange, portList, rate } from '../../src/catalogue/values';

const v4: ValueContext = { family: 'ipv4' };
const v6: ValueContext = { family: 'ipv6' };

describe('value grammars', function () {
  it('reads numbers as C does: hex, octal, no minus', function () {
    assert.strictEqual(parseCUnsigned('0x1f'), 31n);
    assert.strictEqual(parseCUnsigned('010'), 8n);
    assert.strictEqual(parseCUnsigned('08'), undefined);
    assert.strictEqual(parseCUnsigned('-1'), undefined);
    assert.strictEqual(parseCUnsigned('12a'), undefined);
  });

  it('completes short IPv4 forms and reads octal parts like iptables', function () {
    assert.strictEqual(parseIPv4('10'), 0x0a000000n);
    assert.strictEqual(parseIPv4('10.1'), 0x0a010000n);
    assert.strictEqual(parseIPv4('010.0.0.1'), 0x08000001n);
    assert.strictEqual(parseIPv4('10.0.0.256'), undefined);
    assert.strictEqual(parseIPv4('255.255.0', true), undefined, 'masks need four parts');
  });

  it('parses and prints IPv6 as inet_pton / inet_ntop do', function () {
    for (const [text, printed] of [
      ['::', '::'],
      ['::1', '::1'],
      ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['fe80::', 'fe80::'],
      ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
      ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
      ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ]) {
      const v = parseIPv6(text);
      assert.ok(v !== undefined, text);
      assert.strictEqual(formatIPv6(v), printed, text);
    }
    for (const bad of [':::', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', '::ffff:1.2.3.256']) assert.strictEqual(parseIPv6(bad), undefined, bad);
  });

  it('normalises -s/-d values to address/prefix, with masks and lists', function () {
    const canon = (t: string, ctx = v4) => {
      const r = hostList.parse(t, ctx);
      return r.ok ? r.canonical : `ERR ${r.message}`;
    };
    assert.strictEqual(canon('10.11.12.13/8'), '10.0.0.0/8');
    assert.strictEqual(canon('10.11.12.13/255.0.255.0'), '10.0.12.0/255.0.255.0');
    assert.strictEqual(canon('1.2.3.4,5.6.7.8'), '1.2.3.4/32,5.6.7.8/32');
    assert.strictEqual(canon('2001:db8::1/32', v6), '2001:db8::/32');
    assert.match(canon('10.0.0.0/33'), /Invalid mask/);
    assert.match(canon('2001:db8::1'), /IPv6 address in an IPv4 rule/);
  });

  it('points at the bad part of a value', function () {
    const r = hostList.parse('10.0.0.1,10.0.0.0/40', v4);
    assert.ok(!r.ok);
    assert.deepStrictEqual(r.at, [18, 20]);
  });

  it('reads port ranges with open ends and service names', function () {
    const canon = (t: string) => {
      const r = parsePortRange(t, { family: 'ipv4', protocol: 'tcp' });
      return r.ok ? r.canonical : `ERR ${r.message}`;
    };
    assert.strictEqual(canon('1024:'), '1024:65535');
    assert.strictEqual(canon(':4'), '0:4');
    assert.strictEqual(canon('4:4'), '4');
    assert.strictEqual(canon('ssh'), '22');
    assert.match(canon('4:3'), /reversed/);
    assert.match(canon('sshh'), /did you mean 'ssh'/);
  });

  it('counts a range as two ports in a multiport list', function () {
    const r = portList(15).parse('1,2,3,4,5,6,7,8,9,10,11,12,13,14,15:16', { family: 'ipv4', protocol: 'tcp' });
    assert.ok(!r.ok && /Too many ports/.test(r.message));
  });

  it('prints rates the way -m limit stores them', function () {
    const canon = (t: string) => {
      const r = rate().parse(t, v4);
      return r.ok ? r.canonical : `ERR ${r.message}`;
    };
    assert.strictEqual(canon('3/hour'), '3/hour');
    assert.strictEqual(canon('5/s'), '5/sec');
    assert.strictEqual(canon('10/minute'), '10/min');
    assert.strictEqual(canon('25'), '25/sec');
    assert.match(canon('5/fortnight'), /not a time unit/);
    assert.strictEqual(formatRate(10000 * 86400), '1/day');
  });

  it('suggests close names only', function () {
    assert.strictEqual(closest('DROPP', ['ACCEPT', 'DROP', 'RETURN']), 'DROP');
    assert.strictEqual(closest('accept', ['ACCEPT', 'DROP']), 'ACCEPT');
    assert.strictEqual(closest('XYZZY', ['ACCEPT', 'DROP']), undefined);
  });
});
