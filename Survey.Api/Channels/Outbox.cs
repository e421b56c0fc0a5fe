using Microsoft.Extensions.Options;

namespace Survey.Api.Channels;

/// <summary>
/// Messages of channels without a provider, as files: one per invitation, named by its id, replaced atomically, so sending the
/// same invitation again overwrites its file and never adds a second one.
/// </summary>
public sealed class Outbox(IOptions<ChannelOptions> options)
{
    public static string FolderName(ChannelKind channel) => channel switch
    {
        ChannelKind.Email => "email",
        ChannelKind.Sms => "sms",
        ChannelKind.MiniProgram => "wechat",
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };

    public string Folder(ChannelKind channel) => Path.GetFullPath(Path.Combine(options.Value.OutboxDirectory, FolderName(channel)));

    /// <summary>Writes the invitation's file and returns the provider message id <c>outbox:{folder}/{file}</c>.</summary>
    public async Task<string> Write(ChannelKind channel, Guid invitationId, string extension, Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        var folder = Folder(channel);
        Directory.CreateDirectory(folder);
        var name = $"{invitationId:D}.{extension}";
        var temporary = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await write(file, ct);
                await file.FlushAsync(ct);
            }
            File.Move(temporary, Path.Combine(folder, name), overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
        return $"outbox:{FolderName(channel)}/{name}";
    }
}
