namespace Anb.Application.Public;

public static class PublicQueryMessages
{
    public const string InvalidParameter = "Parámetro inválido en la consulta.";
}
