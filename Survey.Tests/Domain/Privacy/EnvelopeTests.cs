using System.Security.Cryptography;
using Survey.Domain.Privacy;

namespace Survey.Tests.Domain.Privacy;

public class EnvelopeTests
{
    private static readonly byte[] Key = Envelope.NewKey();

    [Fact]
    public void Sealed_text_opens_with_its_key_and_context_only()
    {
        var value = Envelope.Seal(Key, "王伟 +8613812345678", "customer:C-1|name");
        value.ShouldStartWith(Envelope.Prefix);
        value.ShouldNotContain("8613812345678");
        Envelope.Open(Key, value, "customer:C-1|name").ShouldBe("王伟 +8613812345678");
        Should.Throw<CryptographicException>(() => Envelope.Open(Envelope.NewKey(), value, "customer:C-1|name"));
        Should.Throw<CryptographicException>(() => Envelope.Open(Key, value, "customer:C-2|name")); // moved to another subject
        var tampered = value[..^4] + (value[^4] == 'A' ? "B" : "A") + value[^3..];
        Should.Throw<CryptographicException>(() => Envelope.Open(Key, tampered, "customer:C-1|name"));
    }

    [Fact]
    public void Random_sealing_differs_each_time_deterministic_sealing_repeats_for_the_same_value_only()
    {
        Envelope.Seal(Key, "same", "c").ShouldNotBe(Envelope.Seal(Key, "same", "c"));
        Envelope.SealDeterministic(Key, "same", "c").ShouldBe(Envelope.SealDeterministic(Key, "same", "c"));
        Envelope.SealDeterministic(Key, "same", "c").ShouldNotBe(Envelope.SealDeterministic(Key, "other", "c"));
        Envelope.SealDeterministic(Key, "same", "c").ShouldNotBe(Envelope.SealDeterministic(Key, "same", "d"));
        Envelope.Open(Key, Envelope.SealDeterministic(Key, "same", "c"), "c").ShouldBe("same");
    }

    [Fact]
    public void One_sealer_seals_many_values_that_open_on_their_own_and_tells_whether_a_sealed_value_holds_a_clear_one()
    {
        using var sealer = new Envelope.Sealer(Key);
        var name = sealer.Seal("王伟", "customer:C-1|name");
        var email = sealer.Seal("wang.wei@example.cn", "customer:C-1|email");
        Envelope.Open(Key, name, "customer:C-1|name").ShouldBe("王伟");
        sealer.Open(Envelope.Seal(Key, "wang.wei@example.cn", "customer:C-1|email"), "customer:C-1|email").ShouldBe("wang.wei@example.cn");
        sealer.Holds(email, "customer:C-1|email", "wang.wei@example.cn").ShouldBeTrue();
        sealer.Holds(email, "customer:C-1|email", "Wang.Wei@example.cn").ShouldBeFalse(); // exactly, not the same address normalised
        sealer.Holds(email, "customer:C-2|email", "wang.wei@example.cn").ShouldBeFalse();
        sealer.Holds("wang.wei@example.cn", "customer:C-1|email", "wang.wei@example.cn").ShouldBeFalse(); // not sealed
        sealer.Holds(Envelope.Prefix + "!!", "customer:C-1|email", "x").ShouldBeFalse();
        using var other = new Envelope.Sealer(Envelope.NewKey()); // an erased key's successor
        other.Holds(email, "customer:C-1|email", "wang.wei@example.cn").ShouldBeFalse();

        var master = Envelope.NewKey();
        using var wrapping = new Envelope.Sealer(master);
        Envelope.Unwrap(master, wrapping.Wrap(Key, "default", "customer:C-1"), "default", "customer:C-1").ShouldBe(Key);
        wrapping.Unwrap(Envelope.Wrap(master, Key, "default", "customer:C-1"), "default", "customer:C-1").ShouldBe(Key);
    }

    [Fact]
    public void A_wrapped_data_key_unwraps_only_for_its_tenant_and_id()
    {
        var master = Envelope.NewKey();
        var wrapped = Envelope.Wrap(master, Key, "default", "customer:C-1");
        Envelope.Unwrap(master, wrapped, "default", "customer:C-1").ShouldBe(Key);
        Should.Throw<CryptographicException>(() => Envelope.Unwrap(master, wrapped, "other-brand", "customer:C-1"));
        Should.Throw<CryptographicException>(() => Envelope.Unwrap(Envelope.NewKey(), wrapped, "default", "customer:C-1"));
    }

    [Fact]
    public void Blind_indexes_match_normalised_values_per_tenant()
    {
        var master = Envelope.NewKey();
        var a = BlindIndex.TenantKey(master, "a");
        BlindIndex.Email(a, " Wang.Wei@Example.CN ").ShouldBe(BlindIndex.Email(a, "wang.wei@example.cn"));
        BlindIndex.Email(a, "wang.wei@example.cn").ShouldNotContain("wang");
        BlindIndex.Email(BlindIndex.TenantKey(master, "b"), "wang.wei@example.cn").ShouldNotBe(BlindIndex.Email(a, "wang.wei@example.cn"));
        BlindIndex.Phone(a, "+8613812345678").ShouldNotBe(BlindIndex.Phone(a, "+8613812345679"));
    }

    [Theory]
    [InlineData("+8613812345678", "138****5678")]
    [InlineData("+447911123456", "+447****3456")]
    [InlineData("12345", "****")]
    public void Phones_are_masked(string phone, string masked) => ContactMasking.Phone(phone).ShouldBe(masked);

    [Theory]
    [InlineData("alice@example.com", "a***@example.com")]
    [InlineData("王伟@例子.中国", "王***@例子.中国")]
    [InlineData("not-an-address", "***")]
    public void Emails_are_masked(string email, string masked) => ContactMasking.Email(email).ShouldBe(masked);
}
